package io.ocimirror.rescue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.micrometer.core.instrument.MeterRegistry;
import io.ocimirror.admission.PodHandler;
import io.ocimirror.informers.Informers;
import io.ocimirror.rewrite.PullFailureFeedback;
import java.time.Duration;
import java.util.Optional;

/**
 * One replica's pull-failure rescue: an informer on the Pods the webhook rewrote (label
 * {@code oci-mirror.io/rewritten=true}, all namespaces), the Lease election, and {@link PullFailureRescue} between
 * them. Built from plain parts, so that tests run several replicas against one API server.
 */
final class RescueController implements AutoCloseable {

    /** No periodic resync: the grace timers look again on their own. */
    private static final long NO_RESYNC = 0;

    private final KubernetesClient client;
    private final LeaseLeadership leadership;
    private final PullFailureRescue rescue;
    private final RescueTimer timer;
    private SharedIndexInformer<Pod> informer;

    /**
     * @param leaseNamespace the webhook's namespace, where the Lease lives
     * @param identity       this replica's name in the Lease
     */
    RescueController(KubernetesClient client, RescueSettings settings, String leaseNamespace, String identity,
            MirroredForms forms, PullFailureFeedback feedback, RescueTimer timer, MeterRegistry meters,
            RescueEvents events, ObjectMapper mapper) {
        this.client = client;
        this.timer = timer;
        this.leadership = new LeaseLeadership(client, leaseNamespace, identity, settings, this::lookAtAll);
        this.rescue = new PullFailureRescue(new PullFailureRule(settings.pullFailureGrace(), forms, mapper), mapper,
                leadership, new KubernetesPodPatcher(client), new RescueReporter(meters, events), feedback, timer,
                this::cached);
    }

    /** Starts watching and standing for the Lease; returns at once. */
    synchronized void start() {
        informer = client.pods().inAnyNamespace().withLabel(PodHandler.REWRITTEN_LABEL, PodHandler.REWRITTEN).runnableInformer(NO_RESYNC);
        informer.addEventHandler(Informers.latestState(rescue::seen, rescue::deleted));
        Informers.start(informer, "Pods for pull failures");
        leadership.start();
    }

    Leadership leadership() {
        return leadership;
    }

    /** A new leader looks at every Pod at once: failures whose grace ended under the last leader are still due. */
    private void lookAtAll() {
        timer.schedule(() -> {
            SharedIndexInformer<Pod> current = informer;
            if (current != null) {
                current.getStore().list().forEach(rescue::seen);
            }
        }, Duration.ZERO);
    }

    private Optional<Pod> cached(String namespacedName) {
        SharedIndexInformer<Pod> current = informer;
        return current == null ? Optional.empty() : Optional.ofNullable(current.getStore().getByKey(namespacedName));
    }

    @Override
    public synchronized void close() {
        leadership.close();
        if (informer != null) {
            informer.close();
        }
    }
}

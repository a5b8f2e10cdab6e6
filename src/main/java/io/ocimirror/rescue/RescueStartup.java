package io.ocimirror.rescue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.ocimirror.configstore.ConfigurationStore;
import io.ocimirror.configstore.WebhookNamespace;
import io.ocimirror.events.EventRecorder;
import io.ocimirror.rewrite.PullFailureFeedback;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Starts the pull-failure rescue at startup when {@code oci-mirror.rescue.enabled} and a Kubernetes client is
 * configured; starting does not wait for the API server. The replica's identity in the Lease is its Pod name
 * ({@code HOSTNAME}), else a random one. The rescue counters of every configured mirror host exist from the start.
 */
@ApplicationScoped
class RescueStartup {

    private static final Logger LOG = Logger.getLogger(RescueStartup.class);
    private static final String HOSTNAME = "HOSTNAME";

    private final RescueSettings settings;
    private final Instance<KubernetesClient> kubernetes;
    private final WebhookNamespace namespace;
    private final MirroredForms forms;
    private final PullFailureFeedback feedback;
    private final RescueTimer timer;
    private final MeterRegistry meters;
    private final EventRecorder events;
    private final ObjectMapper mapper;
    private final ConfigurationStore configurations;
    private RescueController controller;

    RescueStartup(RescueSettings settings, Instance<KubernetesClient> kubernetes, WebhookNamespace namespace,
            MirroredForms forms, PullFailureFeedback feedback, RescueTimer timer, MeterRegistry meters,
            EventRecorder events, ObjectMapper mapper, ConfigurationStore configurations) {
        this.settings = settings;
        this.kubernetes = kubernetes;
        this.namespace = namespace;
        this.forms = forms;
        this.feedback = feedback;
        this.timer = timer;
        this.meters = meters;
        this.events = events;
        this.mapper = mapper;
        this.configurations = configurations;
    }

    synchronized void start(@Observes StartupEvent event) {
        if (!settings.enabled() || !kubernetes.isResolvable()) {
            return;
        }
        String identity = Optional.ofNullable(System.getenv(HOSTNAME)).filter(name -> !name.isBlank())
                .orElseGet(() -> UUID.randomUUID().toString());
        LOG.infof("Watching rewritten Pods for pull failures (grace %s); Lease %s/%s as %s",
                settings.pullFailureGrace(), namespace.get(), settings.leaseName(), identity);
        controller = new RescueController(kubernetes.get(), settings, namespace.get(), identity, forms, feedback,
                timer, meters, events::record, mapper);
        controller.start();
        configurations.addListener((owner, snapshot) -> snapshot.ifPresent(configuration -> configuration
                .allMirrors().forEach(mirror -> RescueReporter.registerAtZero(meters, mirror.replicationHost()))));
    }

    /** This replica's leadership, when the rescue runs. */
    synchronized Optional<Leadership> leadership() {
        return Optional.ofNullable(controller).map(RescueController::leadership);
    }

    synchronized void stop(@Observes ShutdownEvent event) {
        if (controller != null) {
            controller.close();
        }
    }
}

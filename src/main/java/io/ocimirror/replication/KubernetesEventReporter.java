package io.ocimirror.replication;

import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.ocimirror.events.EventRecorder;
import io.ocimirror.rewrite.ReplicationRequest;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Records how replication ended as an Event on the object whose admission asked for it (plugin definitions), so
 * {@code kubectl describe} shows it: a Warning {@value #REASON} when it gave up, a Normal {@value #REPLICATED_REASON}
 * naming the manifest digest when it warmed the mirror. Events of cluster-scoped objects go to {@code default}, as
 * Kubernetes does. Recorded whenever a Kubernetes API server is configured, also when the mirror configuration comes
 * from a file (Greenhouse organisations need no ConfigMap of the webhook's own).
 *
 * <p>Events are recorded off the replication worker's thread, by one daemon thread behind a queue of
 * {@value #QUEUE_CAPACITY}: a slow API server slows no job. When the queue is full an Event is dropped and counted
 * ({@link #dropped()}); the log and metrics still carry the outcome. Outside a cluster (no service account token, no
 * kubeconfig, no API server URL configured) no Event is attempted at all, and one INFO line at start says so.
 */
@ApplicationScoped
public class KubernetesEventReporter implements ReplicationReporter {

    static final String REASON = "MirrorReplicationFailed";
    static final String REPLICATED_REASON = "MirrorReplicated";
    /** Events waiting for the API server; far above what a burst of replication outcomes produces. */
    static final int QUEUE_CAPACITY = 256;
    static final Path SERVICE_ACCOUNT_TOKEN = Path.of("/var/run/secrets/kubernetes.io/serviceaccount/token");

    private static final Logger LOG = Logger.getLogger(KubernetesEventReporter.class);

    /** Records one Event; {@link EventRecorder#record} in production. */
    interface Recorder {
        void record(ObjectReference involved, String type, String reason, String message);
    }

    private final Recorder events;
    private final boolean inCluster;
    private final ThreadPoolExecutor recording;
    private final AtomicLong dropped = new AtomicLong();

    @Inject
    public KubernetesEventReporter(EventRecorder events,
            @ConfigProperty(name = "quarkus.kubernetes-client.api-server-url") Optional<String> apiServerUrl,
            @ConfigProperty(name = "kubernetes.master") Optional<String> fabric8Master) {
        // kubernetes.master (or KUBERNETES_MASTER) is fabric8's own setting, which the Kubernetes test server sets.
        this(events::record, inCluster(SERVICE_ACCOUNT_TOKEN, Path.of(System.getProperty("user.home", "/")),
                System.getenv(), apiServerUrl.or(() -> fabric8Master)), QUEUE_CAPACITY);
    }

    KubernetesEventReporter(Recorder events, boolean inCluster, int capacity) {
        this.events = events;
        this.inCluster = inCluster;
        this.recording = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(capacity),
                task -> {
                    Thread thread = new Thread(task, "oci-mirror-replication-events");
                    thread.setDaemon(true);
                    return thread;
                },
                (task, executor) -> {
                    long count = dropped.incrementAndGet();
                    if (count == 1 || count % 100 == 0) {
                        LOG.warnf("The Event queue (%d) is full: %d replication Events dropped so far", capacity,
                                count);
                    }
                });
    }

    /**
     * Whether a Kubernetes API server is there to record Events: a service account token (in a Pod), a kubeconfig
     * ({@code KUBECONFIG} or {@code ~/.kube/config}), or an API server URL set in the configuration.
     */
    static boolean inCluster(Path serviceAccountToken, Path home, Map<String, String> environment,
            Optional<String> apiServerUrl) {
        return Files.exists(serviceAccountToken) || !environment.getOrDefault("KUBECONFIG", "").isBlank()
                || Files.exists(home.resolve(".kube").resolve("config")) || apiServerUrl.isPresent();
    }

    void start(@Observes StartupEvent event) {
        if (!inCluster) {
            LOG.infof("No Kubernetes API server (no %s, no KUBECONFIG or ~/.kube/config): replication outcomes are "
                    + "not recorded as Events", SERVICE_ACCOUNT_TOKEN);
        }
    }

    @PreDestroy
    void stop() {
        recording.shutdownNow();
    }

    /** Events dropped because the queue was full. */
    long dropped() {
        return dropped.get();
    }

    @Override
    public void gaveUp(ReplicationRequest request, String reason) {
        record(request, "Warning", REASON, "Replication of " + request.reference() + " gave up: " + reason);
    }

    @Override
    public void replicated(ReplicationRequest request, Optional<String> resolvedTag, String manifestDigest) {
        record(request, "Normal", REPLICATED_REASON, "Replicated " + request.reference()
                + resolvedTag.map(tag -> " (chart version " + request.reference().tag().orElse("") + " resolved to tag "
                        + tag + ")").orElse("")
                + " through the mirror: manifest " + manifestDigest);
    }

    private void record(ReplicationRequest request, String type, String reason, String message) {
        if (!inCluster || request.origin().isEmpty()) {
            return;
        }
        var origin = request.origin().get();
        ObjectReference involved = new ObjectReferenceBuilder()
                .withApiVersion(origin.apiVersion())
                .withKind(origin.kind())
                .withName(origin.name())
                .withNamespace(origin.namespace().isEmpty() ? null : origin.namespace())
                .build();
        recording.execute(() -> {
            try {
                events.record(involved, type, reason, message);
            } catch (RuntimeException e) {
                LOG.warnf("Cannot record the Event %s on %s %s: %s", reason, involved.getKind(), involved.getName(),
                        e.toString());
            }
        });
    }
}

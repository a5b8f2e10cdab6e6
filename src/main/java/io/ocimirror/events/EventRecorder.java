package io.ocimirror.events;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Creates core/v1 Events on the objects the webhook has something to say about, so that {@code kubectl describe}
 * and {@code kubectl get events} show it. An Event of a cluster-scoped object lives in {@code default}, as
 * Kubernetes' own recorders put it (client-go tools/record).
 *
 * <p>Events are sent by one daemon thread behind a queue of {@value #QUEUE_CAPACITY}, as client-go's broadcaster
 * does: the caller (a replication job, an informer, a configuration reload) never waits for the API server. When the
 * queue is full an Event is dropped, counted and logged (the first, then every hundredth); the log and the metrics
 * still carry what it said. A failure to record is a warning, never an error of what it reports.
 *
 * <p>Outside a cluster (no service account token, no {@code KUBERNETES_SERVICE_HOST}, no kubeconfig, no API server
 * URL configured) nothing is sent at all, and one INFO line at start says so: fabric8 would otherwise try
 * {@code https://kubernetes.default.svc} and retry every Event.
 */
@ApplicationScoped
public class EventRecorder {

    /** Events waiting for the API server; far above what a burst of outcomes produces. */
    static final int QUEUE_CAPACITY = 256;
    static final Path SERVICE_ACCOUNT_TOKEN = Path.of("/var/run/secrets/kubernetes.io/serviceaccount/token");

    private static final Logger LOG = Logger.getLogger(EventRecorder.class);
    private static final String COMPONENT = "oci-mirror-webhook";
    private static final String CLUSTER_SCOPED_EVENT_NAMESPACE = "default";
    /** The API server rejects longer Event messages. */
    private static final int MAX_MESSAGE_LENGTH = 1024;

    /** Sends one Event to the API server: a create in production. */
    interface EventSink {
        void create(Event event);
    }

    private final EventSink sink;
    private final boolean apiServer;
    private final ThreadPoolExecutor sender;
    private final AtomicLong dropped = new AtomicLong();

    @Inject
    EventRecorder(Instance<KubernetesClient> kubernetes,
            @ConfigProperty(name = "quarkus.kubernetes-client.api-server-url") Optional<String> apiServerUrl,
            @ConfigProperty(name = "kubernetes.master") Optional<String> fabric8Master) {
        this(event -> kubernetes.get().v1().events().inNamespace(event.getMetadata().getNamespace()).resource(event)
                        .create(),
                kubernetes.isResolvable() && apiServerThere(SERVICE_ACCOUNT_TOKEN,
                        Path.of(System.getProperty("user.home", "/")), System.getenv(),
                        apiServerUrl.or(() -> fabric8Master)),
                QUEUE_CAPACITY);
    }

    EventRecorder(EventSink sink, boolean apiServer, int capacity) {
        this.sink = sink;
        this.apiServer = apiServer;
        this.sender = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(capacity),
                task -> {
                    Thread thread = new Thread(task, "oci-mirror-events");
                    thread.setDaemon(true);
                    return thread;
                },
                (task, executor) -> {
                    if (executor.isShutdown()) {
                        // The webhook is stopping: the Event goes the way of the process, not of a full queue.
                        return;
                    }
                    long count = dropped.incrementAndGet();
                    if (count == 1 || count % 100 == 0) {
                        LOG.warnf("The Event queue (%d) is full: %d Events dropped so far", capacity, count);
                    }
                });
    }

    /**
     * Whether an API server is there to take Events: a service account token or {@code KUBERNETES_SERVICE_HOST} (in
     * a Pod), a kubeconfig ({@code KUBECONFIG} or {@code ~/.kube/config}), or an API server URL set in the
     * configuration ({@code quarkus.kubernetes-client.api-server-url}, fabric8's {@code kubernetes.master}).
     */
    static boolean apiServerThere(Path serviceAccountToken, Path home, Map<String, String> environment,
            Optional<String> apiServerUrl) {
        return Files.exists(serviceAccountToken)
                || !environment.getOrDefault("KUBERNETES_SERVICE_HOST", "").isBlank()
                || !environment.getOrDefault("KUBECONFIG", "").isBlank()
                || Files.exists(home.resolve(".kube").resolve("config"))
                || apiServerUrl.filter(url -> !url.isBlank()).isPresent();
    }

    void announce(@Observes StartupEvent event) {
        if (!apiServer) {
            LOG.infof("No Kubernetes API server (no %s, KUBERNETES_SERVICE_HOST, KUBECONFIG, ~/.kube/config or "
                    + "quarkus.kubernetes-client.api-server-url): Events are not recorded; the log and the metrics "
                    + "carry what they would say", SERVICE_ACCOUNT_TOKEN);
        }
    }

    @PreDestroy
    void stop() {
        sender.shutdownNow();
    }

    /**
     * Queues an Event for the API server and returns at once; does nothing outside a cluster.
     *
     * @param involved the object the Event is about: apiVersion, kind, name, and a namespace only for a namespaced
     *                 object (a uid where known)
     * @param type     {@code Normal} or {@code Warning}
     * @param reason   a CamelCase reason such as {@code MirrorConfigurationRejected}
     * @param message  what happened; cut to the API server's 1024 characters
     */
    public void record(ObjectReference involved, String type, String reason, String message) {
        if (!apiServer) {
            return;
        }
        Event event = event(involved, type, reason, message);
        sender.execute(() -> {
            try {
                sink.create(event);
            } catch (RuntimeException e) {
                LOG.warnf("Cannot record the Event %s on %s %s/%s: %s", reason, involved.getKind(),
                        event.getMetadata().getNamespace(), involved.getName(), e.getMessage());
            }
        });
    }

    /** Events dropped because the queue was full. */
    long dropped() {
        return dropped.get();
    }

    /** Events handed to the sending thread (sent, being sent or queued). */
    long accepted() {
        return sender.getTaskCount();
    }

    private static Event event(ObjectReference involved, String type, String reason, String message) {
        String namespace = involved.getNamespace() == null ? CLUSTER_SCOPED_EVENT_NAMESPACE : involved.getNamespace();
        String now = DateTimeFormatter.ISO_INSTANT.format(Instant.now());
        return new EventBuilder()
                .withNewMetadata()
                .withNamespace(namespace)
                .withName(involved.getName() + "." + UUID.randomUUID().toString().substring(0, 8))
                .endMetadata()
                .withInvolvedObject(involved)
                .withType(type)
                .withReason(reason)
                .withMessage(message.length() > MAX_MESSAGE_LENGTH ? message.substring(0, MAX_MESSAGE_LENGTH) : message)
                .withNewSource().withComponent(COMPONENT).endSource()
                .withFirstTimestamp(now)
                .withLastTimestamp(now)
                .withCount(1)
                .build();
    }
}

package io.ocimirror.events;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Creates core/v1 Events on the objects the webhook has something to say about, so that {@code kubectl describe}
 * and {@code kubectl get events} show it. An Event of a cluster-scoped object lives in {@code default}, as
 * Kubernetes' own recorders put it (client-go tools/record). Tried whenever a Kubernetes client is configured, also
 * when the mirror configuration comes from a file; a failure to record is a warning in the log, never an error of
 * what it reports.
 */
@ApplicationScoped
public class EventRecorder {

    private static final Logger LOG = Logger.getLogger(EventRecorder.class);
    private static final String COMPONENT = "oci-mirror-webhook";
    private static final String CLUSTER_SCOPED_EVENT_NAMESPACE = "default";
    /** The API server rejects longer Event messages. */
    private static final int MAX_MESSAGE_LENGTH = 1024;

    private final Instance<KubernetesClient> kubernetes;

    EventRecorder(Instance<KubernetesClient> kubernetes) {
        this.kubernetes = kubernetes;
    }

    /**
     * Creates an Event.
     *
     * @param involved the object the Event is about: apiVersion, kind, name, and a namespace only for a namespaced
     *                 object (a uid where known)
     * @param type     {@code Normal} or {@code Warning}
     * @param reason   a CamelCase reason such as {@code MirrorConfigurationRejected}
     * @param message  what happened; cut to the API server's 1024 characters
     */
    public void record(ObjectReference involved, String type, String reason, String message) {
        if (!kubernetes.isResolvable()) {
            return;
        }
        String namespace = involved.getNamespace() == null ? CLUSTER_SCOPED_EVENT_NAMESPACE : involved.getNamespace();
        String now = DateTimeFormatter.ISO_INSTANT.format(Instant.now());
        Event event = new EventBuilder()
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
        try {
            kubernetes.get().v1().events().inNamespace(namespace).resource(event).create();
        } catch (KubernetesClientException e) {
            LOG.warnf("Cannot record the Event %s on %s %s/%s: %s", reason, involved.getKind(), namespace,
                    involved.getName(), e.getMessage());
        }
    }
}

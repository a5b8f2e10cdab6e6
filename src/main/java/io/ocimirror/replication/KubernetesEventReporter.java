package io.ocimirror.replication;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.ocimirror.replication.ReplicationRequest.ObjectOrigin;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Records how replication ended as an Event on the object whose admission asked for it (plugin definitions), so
 * {@code kubectl describe} shows it: a Warning {@value #REASON} when it gave up, a Normal {@value #REPLICATED_REASON}
 * naming the manifest digest when it warmed the mirror. Events of cluster-scoped objects go to {@code default}, as
 * Kubernetes does. Recorded whenever a Kubernetes client is configured, also when the mirror configuration comes
 * from a file (Greenhouse organisations need no ConfigMap of the webhook's own); where no API server answers, the
 * log and metrics carry the outcome.
 */
@ApplicationScoped
public class KubernetesEventReporter implements ReplicationReporter {

    private static final Logger LOG = Logger.getLogger(KubernetesEventReporter.class);
    static final String REASON = "MirrorReplicationFailed";
    static final String REPLICATED_REASON = "MirrorReplicated";
    private static final String COMPONENT = "oci-mirror-webhook";
    /** Kubernetes rejects longer Event messages. */
    private static final int MAX_MESSAGE_LENGTH = 1024;

    private final Instance<KubernetesClient> kubernetes;

    public KubernetesEventReporter(Instance<KubernetesClient> kubernetes) {
        this.kubernetes = kubernetes;
    }

    @Override
    public void gaveUp(ReplicationRequest request, String reason) {
        record(request, "Warning", REASON, "Replication of " + request.reference() + " gave up: " + reason);
    }

    @Override
    public void replicated(ReplicationRequest request, String manifestDigest) {
        record(request, "Normal", REPLICATED_REASON, "Replicated " + request.reference()
                + " through the mirror: manifest " + manifestDigest);
    }

    private void record(ReplicationRequest request, String type, String reason, String message) {
        if (!kubernetes.isResolvable() || request.origin().isEmpty()) {
            return;
        }
        ObjectOrigin origin = request.origin().get();
        String namespace = origin.namespace().isEmpty() ? "default" : origin.namespace();
        String now = DateTimeFormatter.ISO_INSTANT.format(Instant.now());
        Event event = new EventBuilder()
                .withNewMetadata()
                .withNamespace(namespace)
                .withName(origin.name() + "." + UUID.randomUUID().toString().substring(0, 8))
                .endMetadata()
                .withNewInvolvedObject()
                .withApiVersion(origin.apiVersion())
                .withKind(origin.kind())
                .withName(origin.name())
                .withNamespace(origin.namespace().isEmpty() ? null : origin.namespace())
                .endInvolvedObject()
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
            LOG.warnf("Cannot record an Event on %s %s/%s: %s", origin.kind(), namespace, origin.name(), e.getMessage());
        }
    }
}

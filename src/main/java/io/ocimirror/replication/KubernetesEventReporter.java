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
 * Records a give-up as a Warning Event on the object whose admission asked for the replication (plugin
 * definitions), so {@code kubectl describe} shows it. Events of cluster-scoped objects go to {@code default}, as
 * Kubernetes does. Recorded whenever a Kubernetes client is configured, also when the mirror configuration comes
 * from a file (Greenhouse organisations need no ConfigMap of the webhook's own); where no API server answers, the
 * log and metrics carry the give-up.
 */
@ApplicationScoped
public class KubernetesEventReporter implements GiveUpReporter {

    private static final Logger LOG = Logger.getLogger(KubernetesEventReporter.class);
    static final String REASON = "MirrorReplicationFailed";
    private static final String COMPONENT = "oci-mirror-webhook";
    /** Kubernetes rejects longer Event messages. */
    private static final int MAX_MESSAGE_LENGTH = 1024;

    private final Instance<KubernetesClient> kubernetes;

    public KubernetesEventReporter(Instance<KubernetesClient> kubernetes) {
        this.kubernetes = kubernetes;
    }

    @Override
    public void report(ReplicationRequest request, String reason) {
        if (!kubernetes.isResolvable() || request.origin().isEmpty()) {
            return;
        }
        ObjectOrigin origin = request.origin().get();
        String namespace = origin.namespace().isEmpty() ? "default" : origin.namespace();
        String message = "Replication of " + request.reference() + " gave up: " + reason;
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
                .withType("Warning")
                .withReason(REASON)
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

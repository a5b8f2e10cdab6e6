package io.ocimirror.replication;

import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.ocimirror.events.EventRecorder;
import io.ocimirror.rewrite.ReplicationRequest;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

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

    static final String REASON = "MirrorReplicationFailed";
    static final String REPLICATED_REASON = "MirrorReplicated";

    private final EventRecorder events;

    public KubernetesEventReporter(EventRecorder events) {
        this.events = events;
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
        request.origin().ifPresent(origin -> events.record(new ObjectReferenceBuilder()
                .withApiVersion(origin.apiVersion())
                .withKind(origin.kind())
                .withName(origin.name())
                .withNamespace(origin.namespace().isEmpty() ? null : origin.namespace())
                .build(), type, reason, message));
    }
}

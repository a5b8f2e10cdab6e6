package io.ocimirror.rescue;

import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.ocimirror.rescue.Verdict.Failed;
import org.jboss.logging.Logger;

/** Tells people about a pull failure: a Warning Event on the Pod, a counted outcome, a log line. */
final class RescueReporter {

    private static final Logger LOG = Logger.getLogger(RescueReporter.class);
    static final String METRIC = "oci_mirror_pull_rescues";
    static final String REASON = "MirrorPullFailed";
    private static final String WARNING = "Warning";
    /** Room for the kubelet's message (it can quote a long registry answer) in an Event of at most 1024. */
    private static final int MAX_KUBELET_MESSAGE = 300;

    private final MeterRegistry meters;
    private final RescueEvents events;

    RescueReporter(MeterRegistry meters, RescueEvents events) {
        this.meters = meters;
        this.events = events;
    }

    void report(Pod pod, Failed failed, RescueOutcome outcome) {
        counter(meters, failed.form().mirror().replicationHost(), outcome).increment();
        String message = message(failed, outcome);
        LOG.warnf("Pod %s/%s: %s", pod.getMetadata().getNamespace(), pod.getMetadata().getName(), message);
        events.record(involved(pod), WARNING, REASON, message);
    }

    /** Creates every outcome's series of a mirror host at zero, so that an alert sees the first rescue. */
    static void registerAtZero(MeterRegistry meters, String mirrorHost) {
        for (RescueOutcome outcome : RescueOutcome.values()) {
            counter(meters, mirrorHost, outcome);
        }
    }

    private static Counter counter(MeterRegistry meters, String mirrorHost, RescueOutcome outcome) {
        return Counter.builder(METRIC)
                .description("Images the kubelet failed to pull from a mirror, by what the rescue did")
                .tags("mirror_host", mirrorHost, "outcome", outcome.tag)
                .register(meters);
    }

    static String message(Failed failed, RescueOutcome outcome) {
        String kubelet = failed.image().waitingMessage().orElse("");
        if (kubelet.length() > MAX_KUBELET_MESSAGE) {
            kubelet = kubelet.substring(0, MAX_KUBELET_MESSAGE) + "…";
        }
        return String.format("%s \"%s\" could not pull the mirrored image %s (original %s): %s. %s", what(failed),
                failed.image().name(), failed.form().reference(), failed.original(),
                kubelet.isEmpty() ? failed.image().waitingReason().orElse("") : kubelet, outcome.done);
    }

    private static String what(Failed failed) {
        return switch (failed.image().kind()) {
            case INIT_CONTAINER -> "Init container";
            case CONTAINER -> "Container";
            case EPHEMERAL_CONTAINER -> "Ephemeral container";
            case IMAGE_VOLUME -> "Image volume";
        };
    }

    private static ObjectReference involved(Pod pod) {
        return new ObjectReferenceBuilder()
                .withApiVersion("v1")
                .withKind("Pod")
                .withNamespace(pod.getMetadata().getNamespace())
                .withName(pod.getMetadata().getName())
                .withUid(pod.getMetadata().getUid())
                .build();
    }
}

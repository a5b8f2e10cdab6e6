package io.ocimirror.rescue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.ocimirror.admission.PodHandler;
import io.ocimirror.rescue.MirroredForms.MirroredForm;
import io.ocimirror.rescue.PodImages.Kind;
import io.ocimirror.rescue.PodImages.PulledImage;
import io.ocimirror.rescue.Verdict.Failed;
import io.ocimirror.rescue.Verdict.InGrace;
import io.ocimirror.rescue.Verdict.Left;
import io.ocimirror.rescue.Verdict.Pulling;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decides, for each image of a Pod, whether the kubelet has failed to pull the webhook's mirrored form of it for at
 * least the grace: its status (matched by name) waits with {@code ErrImagePull} or {@code ImagePullBackOff} on the
 * image the spec names now, nothing of it ever started, it was not rescued before, and the original recorded for it
 * is what the rule rewrites to exactly that image under the namespace's configuration. Anything missing or
 * unreadable leaves the image alone. A function of the Pod, the moment and the first failures seen; never throws
 * for a condition of the data.
 */
final class PullFailureRule {

    static final String RESCUED_ANNOTATION = "oci-mirror.io/rescued";

    private final Duration grace;
    private final MirroredForms forms;
    private final ObjectMapper mapper;

    /**
     * @param grace  how long an image must fail before it is rescued
     * @param forms  the rewrite rule under each namespace's configuration
     * @param mapper reads the annotations' JSON
     */
    PullFailureRule(Duration grace, MirroredForms forms, ObjectMapper mapper) {
        this.grace = grace;
        this.forms = forms;
        this.mapper = mapper;
    }

    /**
     * @param pod      the Pod as last seen
     * @param now      this moment
     * @param failures when each image was first seen failing; updated with the failures seen now
     * @return one verdict per image the Pod pulls
     */
    List<Verdict> decide(Pod pod, Instant now, FirstFailures failures) {
        Optional<ObjectMeta> metadata = Optional.ofNullable(pod.getMetadata());
        String uid = metadata.map(ObjectMeta::getUid).orElse("");
        String namespace = metadata.map(ObjectMeta::getNamespace).orElse("");
        Map<String, String> annotations = metadata.map(ObjectMeta::getAnnotations).orElse(Map.of());
        return PodImages.of(pod).stream()
                .map(image -> decide(image, uid, namespace, annotations, now, failures))
                .toList();
    }

    private Verdict decide(PulledImage image, String uid, String namespace, Map<String, String> annotations,
            Instant now, FirstFailures failures) {
        String key = image.key();
        if (!image.waitingReason().filter(PodImages.PULL_FAILURES::contains).isPresent()) {
            return new Pulling(key);
        }
        ContainerStatus status = image.status().orElseThrow();
        if (started(status)) {
            return new Pulling(key);
        }
        if (image.kind() != Kind.IMAGE_VOLUME && !image.image().equals(status.getImage())) {
            return new Left(key, "the kubelet reports image " + status.getImage() + ", the spec names "
                    + image.image());
        }
        if (uid.isEmpty() || namespace.isEmpty()) {
            return new Left(key, "the Pod has no uid or namespace");
        }
        Optional<JsonNode> rescued = jsonObject(annotations.get(RESCUED_ANNOTATION));
        if (annotations.containsKey(RESCUED_ANNOTATION) && rescued.isEmpty()) {
            return new Left(key, RESCUED_ANNOTATION + " is not a JSON object");
        }
        if (rescued.filter(r -> r.has(key)).isPresent()) {
            return new Left(key, "rescued once already");
        }
        Optional<String> original = jsonObject(annotations.get(PodHandler.ORIGINAL_IMAGES_ANNOTATION))
                .map(originals -> originals.path(key))
                .filter(JsonNode::isTextual)
                .map(JsonNode::asText);
        if (original.isEmpty()) {
            return new Left(key, PodHandler.ORIGINAL_IMAGES_ANNOTATION + " records no original for it");
        }
        Optional<MirroredForm> form = forms.of(namespace, original.get());
        if (form.isEmpty() || !form.get().reference().equals(image.image())) {
            return new Left(key, "the recorded original " + original.get() + " is not what the rule rewrites to "
                    + image.image());
        }
        Instant graceEnds = failures.since(uid, key, image.image(), now).plus(grace);
        if (now.isBefore(graceEnds)) {
            return new InGrace(key, graceEnds);
        }
        return new Failed(image, original.get(), form.get());
    }

    /** Whether the container ever ran: then the image was pulled once and the rescue does not touch it. */
    private static boolean started(ContainerStatus status) {
        Optional<ContainerState> state = Optional.ofNullable(status.getState());
        Optional<ContainerState> last = Optional.ofNullable(status.getLastState());
        return state.map(s -> s.getRunning() != null || s.getTerminated() != null).orElse(false)
                || last.map(s -> s.getRunning() != null || s.getTerminated() != null).orElse(false)
                || (status.getImageID() != null && !status.getImageID().isEmpty());
    }

    private Optional<JsonNode> jsonObject(String json) {
        if (json == null) {
            return Optional.empty();
        }
        try {
            JsonNode node = mapper.readTree(json);
            return node != null && node.isObject() ? Optional.of(node) : Optional.empty();
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }
}

package io.ocimirror.rescue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.ocimirror.admission.JsonPatch;
import io.ocimirror.rescue.Verdict.Failed;
import java.util.Map;
import java.util.Optional;

/**
 * The JSON Patch that sets one container's image back to its original and records the rescue in
 * {@code oci-mirror.io/rescued}, in one request. Each change is guarded by a {@code test} of the value seen, so a
 * Pod changed meanwhile makes the API server refuse the whole patch (422) rather than overwrite the change.
 */
final class RescuePatch {

    private final ObjectMapper mapper;

    RescuePatch(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * @param pod    the Pod as seen now: the container's index is looked up here, by name
     * @param failed a failed, changeable container
     * @return the patch as JSON; empty when the container is no longer in the Pod or the annotations cannot be read
     */
    Optional<String> of(Pod pod, Failed failed) {
        Optional<Integer> index = PodImages.indexOf(pod, failed.image().kind(), failed.image().name());
        Map<String, String> annotations = Optional.ofNullable(pod.getMetadata()).map(ObjectMeta::getAnnotations)
                .orElse(null);
        if (index.isEmpty() || annotations == null) {
            return Optional.empty();
        }
        Optional<ObjectNode> rescued = rescued(annotations.get(PullFailureRule.RESCUED_ANNOTATION));
        if (rescued.isEmpty()) {
            return Optional.empty();
        }
        rescued.get().put(failed.key(), failed.form().reference());
        ArrayNode operations = mapper.createArrayNode();
        String imagePath = "/spec/" + failed.image().kind().specList + "/" + index.get() + "/image";
        operation(operations, "test", imagePath).put("value", failed.image().image());
        operation(operations, "replace", imagePath).put("value", failed.original());
        String annotationPath = "/metadata/annotations/" + JsonPatch.escape(PullFailureRule.RESCUED_ANNOTATION);
        String previous = annotations.get(PullFailureRule.RESCUED_ANNOTATION);
        if (previous == null) {
            operation(operations, "add", annotationPath).put("value", rescued.get().toString());
        } else {
            operation(operations, "test", annotationPath).put("value", previous);
            operation(operations, "replace", annotationPath).put("value", rescued.get().toString());
        }
        return Optional.of(operations.toString());
    }

    /** The rescues recorded so far, to add one to; empty when the annotation holds something else. */
    private Optional<ObjectNode> rescued(String json) {
        if (json == null) {
            return Optional.of(mapper.createObjectNode());
        }
        try {
            JsonNode node = mapper.readTree(json);
            return node instanceof ObjectNode object ? Optional.of(object) : Optional.empty();
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    private static ObjectNode operation(ArrayNode operations, String op, String path) {
        return operations.addObject().put("op", op).put("path", path);
    }
}

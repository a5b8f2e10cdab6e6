package io.ocimirror.admission;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.ocimirror.config.MirrorConfiguration;
import io.ocimirror.rewrite.Rewrite;
import io.ocimirror.rewrite.RewriteGate;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Rewrites the images of Pods: every container list on {@code CREATE}, and the newly added ephemeral containers on
 * an {@code UPDATE} of the {@code pods/ephemeralcontainers} sub-resource ({@code kubectl debug}).
 */
@ApplicationScoped
public class PodHandler implements AdmissionHandler {

    /** Records what each rewritten container referenced before, keyed by container name (JSON object). */
    public static final String ORIGINAL_IMAGES_ANNOTATION = "oci-mirror.io/original-images";

    private static final List<String> CONTAINER_LISTS = List.of("initContainers", "containers", "ephemeralContainers");
    private static final String EPHEMERAL_CONTAINERS = "ephemeralContainers";
    private static final JsonSelection READS = JsonSelection.fields(Map.of("spec", JsonSelection.fields(
            CONTAINER_LISTS.stream().collect(Collectors.toMap(
                    list -> list, list -> JsonSelection.wholeFields("name", "image"))))));

    private final ObjectMapper mapper;
    private final ImageRewrites rewrites = new ImageRewrites();

    public PodHandler(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    public boolean handles(AdmissionRequest request) {
        if (!request.group().isEmpty() || !request.resource().equals("pods")) {
            return false;
        }
        return (request.isCreate() && request.subResource().isEmpty())
                || (request.isUpdate() && request.subResource().equals("ephemeralcontainers"));
    }

    @Override
    public String kind() {
        return "pod";
    }

    @Override
    public JsonSelection reads() {
        return READS;
    }

    @Override
    public AdmissionOutcome handle(AdmissionRequest request, MirrorConfiguration configuration, RewriteGate gate) {
        JsonNode pod = request.object();
        RewriteCollector collector = new RewriteCollector(configuration, gate, Optional.empty());
        JsonPatch patch = new JsonPatch();
        ObjectNode originals = JsonNodeFactory.instance.objectNode();

        // On the ephemeralcontainers sub-resource the API server keeps only changes to ephemeralContainers, and
        // existing ephemeral containers cannot be changed: rewrite just the ones this request adds.
        boolean ephemeralOnly = request.isUpdate();
        Set<String> existing = ephemeralOnly ? containerNames(request.oldObject()) : Set.of();
        for (String list : ephemeralOnly ? List.of(EPHEMERAL_CONTAINERS) : CONTAINER_LISTS) {
            JsonNode containers = pod.path("spec").path(list);
            if (!containers.isArray()) {
                continue;
            }
            for (int i = 0; i < containers.size(); i++) {
                JsonNode container = containers.get(i);
                String name = container.path("name").asText("");
                JsonNode image = container.path("image");
                if (!container.isObject() || existing.contains(name) || image.isMissingNode()) {
                    continue;
                }
                String field = list + "[" + i + "] \"" + name + "\": image";
                Optional<Rewrite> rewrite = collector.rewriteImage(image, field, rewrites);
                if (rewrite.isPresent() && rewrite.get().changesReference()) {
                    patch.testAndReplace("/spec/" + list + "/" + i + "/image", image,
                            TextNode.valueOf(rewrite.get().pull().toString()));
                    originals.put(name, image.asText());
                }
            }
        }
        if (!ephemeralOnly && !originals.isEmpty()) {
            recordOriginals(patch, pod, originals);
        }
        return collector.outcome(patch);
    }

    /** Merges with what earlier invocations recorded, so a reinvocation keeps the first originals. */
    private void recordOriginals(JsonPatch patch, JsonNode pod, ObjectNode originals) {
        ObjectNode merged = JsonNodeFactory.instance.objectNode();
        ObjectMetadata.annotation(pod, ORIGINAL_IMAGES_ANNOTATION)
                .flatMap(this::readObject)
                .ifPresent(merged::setAll);
        originals.fields().forEachRemaining(e -> {
            if (!merged.has(e.getKey())) {
                merged.set(e.getKey(), e.getValue());
            }
        });
        ObjectMetadata.setAnnotation(patch, pod, ORIGINAL_IMAGES_ANNOTATION, merged.toString());
    }

    private Optional<ObjectNode> readObject(String json) {
        try {
            JsonNode node = mapper.readTree(json);
            return node instanceof ObjectNode object ? Optional.of(object) : Optional.empty();
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    private static Set<String> containerNames(JsonNode pod) {
        Set<String> names = new HashSet<>();
        JsonNode containers = pod.path("spec").path(EPHEMERAL_CONTAINERS);
        if (!containers.isArray()) {
            return names;
        }
        for (JsonNode container : containers) {
            names.add(container.path("name").asText(""));
        }
        return names;
    }
}

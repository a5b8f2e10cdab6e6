package io.ocimirror.admission;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.ocimirror.config.MirrorConfiguration;
import io.ocimirror.config.OwnedConfiguration;
import io.ocimirror.rewrite.Rewrite;
import io.ocimirror.rewrite.RewriteMode;
import io.ocimirror.rewrite.RewriteOutcome.Rewritten;
import io.ocimirror.rewrite.RewriteOutcome.Skipped;
import io.ocimirror.rewrite.RewriteOutcome;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Rewrites the images a Pod pulls, and only those: on {@code CREATE}, the images of its init containers (native
 * sidecars included), containers and ephemeral containers and its image volumes ({@code spec.volumes[*].image},
 * Kubernetes 1.31+); on an {@code UPDATE} of the {@code pods/ephemeralcontainers} sub-resource
 * ({@code kubectl debug}), the ephemeral containers the request adds. Left alone: images with pull policy
 * {@code Never} (the node must hold exactly that name) and the API copies of static pods (the kubelet runs the file
 * on disk, never the copy).
 */
@ApplicationScoped
public class PodHandler implements AdmissionHandler {

    /**
     * Records what each rewritten image was before, keyed by container name, or {@code volume/<name>} for image
     * volumes (no container name can hold a {@code /}); a JSON object.
     */
    public static final String ORIGINAL_IMAGES_ANNOTATION = "oci-mirror.io/original-images";

    /**
     * Set to {@code "true"} on a Pod whose images this webhook rewrote, so that the pull-failure rescue can watch
     * just these Pods with a label selector.
     */
    public static final String REWRITTEN_LABEL = "oci-mirror.io/rewritten";
    /** The value of {@link #REWRITTEN_LABEL}. */
    public static final String REWRITTEN = "true";

    /** Set by the kubelet on the API copy of a static pod (kubernetes/pkg/kubelet/types). */
    static final String STATIC_POD_ANNOTATION = "kubernetes.io/config.mirror";

    private static final List<String> CONTAINER_LISTS = List.of("initContainers", "containers", "ephemeralContainers");
    private static final String EPHEMERAL_CONTAINERS = "ephemeralContainers";
    private static final String NEVER = "Never";
    /** The key of an image volume in {@link #ORIGINAL_IMAGES_ANNOTATION}: this, then the volume's name. */
    public static final String VOLUME_KEY_PREFIX = "volume/";
    private static final JsonSelection READS = JsonSelection.fields(Map.of("spec", JsonSelection.fields(specReads())));

    private final ObjectMapper mapper;
    private final Rewriter rewriter;

    public PodHandler(ObjectMapper mapper, Rewriter rewriter) {
        this.mapper = mapper;
        this.rewriter = rewriter;
    }

    /**
     * One image of the Pod: where it is, the key its original is recorded under, and whether the kubelet pulls it
     * (not with pull policy {@code Never}).
     */
    private record ImageField(String key, String path, String field, JsonNode value, boolean pulled) {
    }

    private static Map<String, JsonSelection> specReads() {
        Map<String, JsonSelection> reads = new HashMap<>(PodPlatforms.READS);
        CONTAINER_LISTS.forEach(list -> reads.put(list, JsonSelection.wholeFields("name", "image", "imagePullPolicy")));
        reads.put("volumes", JsonSelection.fields(Map.of(
                "name", JsonSelection.WHOLE,
                "image", JsonSelection.wholeFields("reference", "pullPolicy"))));
        return reads;
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
    public AdmissionOutcome handle(AdmissionRequest request, OwnedConfiguration owned, RewriteMode mode) {
        JsonNode pod = request.object();
        if (ObjectMetadata.annotation(pod, STATIC_POD_ANNOTATION).isPresent()) {
            // The kubelet owns the API copy of a static Pod: it stays untouched, even by a record of decisions.
            Decisions skipped = new Decisions();
            imageFields(request, false).forEach(image ->
                    skipped.add(image.key(), image.value().asText(""), new Skipped(Skipped.Reason.STATIC_POD)));
            return AdmissionOutcome.untouched(skipped.all());
        }
        boolean enforce = mode == RewriteMode.ENFORCE;
        MirrorConfiguration configuration = owned.snapshot();
        MirrorConfiguration replicationSnapshot =
                configuration.withReplication(PodPlatforms.of(pod, configuration.replication()));
        RewriteCollector collector =
                rewriter.collector(configuration, replicationSnapshot, owned.owner(), Optional.empty());
        JsonPatch patch = new JsonPatch();
        // On the ephemeralcontainers sub-resource the API server keeps only changes to ephemeralContainers and drops
        // metadata changes, and existing ephemeral containers cannot be changed: rewrite just the ones this adds.
        boolean ephemeralOnly = request.isUpdate();
        Map<String, String> recorded = ephemeralOnly ? Map.of() : recordedOriginals(pod);
        ObjectNode originals = JsonNodeFactory.instance.objectNode();
        Decisions decisions = new Decisions();
        boolean rewroteAny = false;
        for (ImageField image : imageFields(request, ephemeralOnly)) {
            if (!image.pulled()) {
                decisions.add(image.key(), image.value().asText(""), new Skipped(Skipped.Reason.PULL_POLICY_NEVER));
                continue;
            }
            RewriteOutcome outcome = collector.image(image.value(), image.field());
            Optional<Rewrite> earlier = rewrittenEarlier(image.value(), recorded.get(image.key()), collector);
            if (outcome instanceof Rewritten rewritten && enforce) {
                patch.testAndReplace(image.path(), image.value(),
                        TextNode.valueOf(rewritten.rewrite().pull().toString()));
                originals.put(image.key(), image.value().asText());
                rewroteAny = true;
                decisions.add(image.key(), image.value().asText(), outcome);
            } else if (earlier.isPresent()) {
                originals.put(image.key(), recorded.get(image.key()));
                decisions.add(image.key(), recorded.get(image.key()), new Rewritten(earlier.get()));
            } else {
                decisions.add(image.key(), image.value().asText(""), outcome);
            }
        }
        if (!ephemeralOnly) {
            recordOriginals(patch, pod, originals);
            if (rewroteAny) {
                labelRewritten(patch, pod);
            }
            if (!configuration.mirrors().isEmpty()) {
                // With no mirror configured nothing is rewritten anywhere, readiness says so: no record on every Pod.
                decisions.record(patch, pod, mapper, !enforce);
            }
        }
        return collector.outcome(patch, decisions);
    }

    /**
     * Labels the Pod as rewritten unless it already is. A Pod without a metadata object (which the API server would
     * refuse anyway) gets no label: adding {@code /metadata} twice in one patch would drop the annotation.
     */
    private static void labelRewritten(JsonPatch patch, JsonNode pod) {
        JsonNode metadata = pod.path("metadata");
        if (metadata.isObject() && !REWRITTEN.equals(metadata.path("labels").path(REWRITTEN_LABEL).asText(null))) {
            ObjectMetadata.setLabel(patch, pod, REWRITTEN_LABEL, REWRITTEN);
        }
    }

    /** Every image of the request, in the order of the Pod spec, and whether the kubelet pulls it. */
    private static List<ImageField> imageFields(AdmissionRequest request, boolean ephemeralOnly) {
        JsonNode spec = request.object().path("spec");
        Set<String> existing = ephemeralOnly ? ephemeralContainerNames(request.oldObject()) : Set.of();
        List<ImageField> images = new ArrayList<>();
        for (String list : ephemeralOnly ? List.of(EPHEMERAL_CONTAINERS) : CONTAINER_LISTS) {
            JsonNode containers = spec.path(list);
            for (int i = 0; containers.isArray() && i < containers.size(); i++) {
                JsonNode container = containers.get(i);
                String name = container.path("name").asText("");
                JsonNode image = container.path("image");
                if (container.isObject() && !existing.contains(name) && !image.isMissingNode()) {
                    images.add(new ImageField(name, "/spec/" + list + "/" + i + "/image",
                            list + "[" + i + "] \"" + name + "\": image", image,
                            !NEVER.equals(container.path("imagePullPolicy").asText(""))));
                }
            }
        }
        JsonNode volumes = ephemeralOnly ? JsonNodeFactory.instance.missingNode() : spec.path("volumes");
        for (int i = 0; volumes.isArray() && i < volumes.size(); i++) {
            JsonNode volume = volumes.get(i);
            String name = volume.path("name").asText("");
            JsonNode reference = volume.path("image").path("reference");
            if (volume.isObject() && !reference.isMissingNode()) {
                images.add(new ImageField(VOLUME_KEY_PREFIX + name, "/spec/volumes/" + i + "/image/reference",
                        "volumes[" + i + "] \"" + name + "\": image.reference", reference,
                        !NEVER.equals(volume.path("image").path("pullPolicy").asText(""))));
            }
        }
        return images;
    }

    /**
     * The rule's rewrite of a recorded original when the image as it is now is its mirrored form: then an earlier
     * invocation wrote it and the record still describes it. A record copied from another Pod whose image was changed
     * since ({@code kubectl debug --copy-to --set-image}) fails this check and is dropped.
     */
    private static Optional<Rewrite> rewrittenEarlier(JsonNode current, String recorded, RewriteCollector collector) {
        if (recorded == null || !current.isTextual()) {
            return Optional.empty();
        }
        return collector.rewriteOf(recorded).filter(rewrite -> rewrite.pull().toString().equals(current.asText()));
    }

    /**
     * Writes the originals when they differ from what the Pod records, and removes a record that describes none of
     * the Pod's images.
     */
    private void recordOriginals(JsonPatch patch, JsonNode pod, ObjectNode originals) {
        Optional<String> written = ObjectMetadata.annotation(pod, ORIGINAL_IMAGES_ANNOTATION);
        if (originals.isEmpty()) {
            if (written.isPresent()) {
                ObjectMetadata.removeAnnotation(patch, pod, ORIGINAL_IMAGES_ANNOTATION);
            }
            return;
        }
        if (written.flatMap(this::readObject).filter(originals::equals).isEmpty()) {
            ObjectMetadata.setAnnotation(patch, pod, ORIGINAL_IMAGES_ANNOTATION, originals.toString());
        }
    }

    /** What the Pod's annotation records: string entries of a JSON object; nothing when it is not one. */
    private Map<String, String> recordedOriginals(JsonNode pod) {
        Map<String, String> recorded = new HashMap<>();
        ObjectMetadata.annotation(pod, ORIGINAL_IMAGES_ANNOTATION).flatMap(this::readObject)
                .ifPresent(object -> object.fields().forEachRemaining(entry -> {
                    if (entry.getValue().isTextual()) {
                        recorded.put(entry.getKey(), entry.getValue().asText());
                    }
                }));
        return recorded;
    }

    private Optional<ObjectNode> readObject(String json) {
        try {
            JsonNode node = mapper.readTree(json);
            return node instanceof ObjectNode object ? Optional.of(object) : Optional.empty();
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    private static Set<String> ephemeralContainerNames(JsonNode pod) {
        Set<String> names = new HashSet<>();
        JsonNode containers = pod.path("spec").path(EPHEMERAL_CONTAINERS);
        for (int i = 0; containers.isArray() && i < containers.size(); i++) {
            names.add(containers.get(i).path("name").asText(""));
        }
        return names;
    }
}

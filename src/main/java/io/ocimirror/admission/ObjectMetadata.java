package io.ocimirror.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reads and patches {@code metadata} of any Kubernetes object in raw JSON form. */
final class ObjectMetadata {

    static final String SKIP_ANNOTATION = "oci-mirror.io/skip";

    /** What the methods here read, and the name for logs. */
    static final JsonSelection READS = JsonSelection.fields(Map.of("metadata", JsonSelection.fields(Map.of(
            "name", JsonSelection.WHOLE,
            "annotations", JsonSelection.WHOLE,
            "labels", JsonSelection.WHOLE,
            "ownerReferences", JsonSelection.wholeFields("apiVersion")))));

    private ObjectMetadata() {
    }

    static boolean skipRequested(JsonNode object) {
        return annotation(object, SKIP_ANNOTATION).map(value -> value.equals("true")).orElse(false);
    }

    static Optional<String> annotation(JsonNode object, String key) {
        JsonNode value = object.path("metadata").path("annotations").path(key);
        return value.isTextual() ? Optional.of(value.asText()) : Optional.empty();
    }

    /** The API groups of the object's owners ({@code apps} for {@code apps/v1}, {@code ""} for {@code v1}). */
    static Set<String> ownerApiGroups(JsonNode object) {
        Set<String> groups = new LinkedHashSet<>();
        JsonNode owners = object.path("metadata").path("ownerReferences");
        if (!owners.isArray()) {
            return groups;
        }
        for (JsonNode owner : owners) {
            String apiVersion = owner.path("apiVersion").asText("");
            int slash = apiVersion.indexOf('/');
            groups.add(slash < 0 ? "" : apiVersion.substring(0, slash));
        }
        return groups;
    }

    /**
     * Adds the patch operations that set an annotation: a missing {@code metadata.annotations} is added as a whole
     * object, an existing value is replaced behind a {@code test} of what the request held.
     */
    static void setAnnotation(JsonPatch patch, JsonNode object, String key, String value) {
        setEntry(patch, object, "annotations", key, value);
    }

    /** Adds the patch operations that set a label, guarded as {@link #setAnnotation} does. */
    static void setLabel(JsonPatch patch, JsonNode object, String key, String value) {
        setEntry(patch, object, "labels", key, value);
    }

    /** Sets one entry of a string map under {@code metadata} ({@code annotations}, {@code labels}). */
    private static void setEntry(JsonPatch patch, JsonNode object, String map, String key, String value) {
        JsonNode metadata = object.path("metadata");
        JsonNode entries = metadata.path(map);
        String entryPath = "/metadata/" + map + "/" + JsonPatch.escape(key);
        if (!metadata.isObject()) {
            ObjectNode added = addedObject(patch, "/metadata");
            (added.get(map) instanceof ObjectNode entriesAdded ? entriesAdded : added.putObject(map)).put(key, value);
        } else if (!entries.isObject()) {
            addedObject(patch, "/metadata/" + map).put(key, value);
        } else if (entries.has(key)) {
            patch.testAndReplace(entryPath, entries.get(key), TextNode.valueOf(value));
        } else {
            patch.add(entryPath, TextNode.valueOf(value));
        }
    }

    /**
     * The object an earlier operation of the patch adds at {@code path}, or a new empty one added now: a second
     * {@code add} of the same path would replace the first, dropping what it held (two annotations set on an object
     * that had none).
     */
    private static ObjectNode addedObject(JsonPatch patch, String path) {
        for (JsonNode operation : patch.operations()) {
            if (operation.path("op").asText().equals("add") && operation.path("path").asText().equals(path)
                    && operation.path("value") instanceof ObjectNode added) {
                return added;
            }
        }
        ObjectNode added = JsonNodeFactory.instance.objectNode();
        patch.add(path, added);
        return added;
    }

    /** Adds the patch operations that remove an annotation the object has, behind a {@code test} of its value. */
    static void removeAnnotation(JsonPatch patch, JsonNode object, String key) {
        patch.testAndRemove(annotationPath(key), object.path("metadata").path("annotations").path(key));
    }

    private static String annotationPath(String key) {
        return "/metadata/annotations/" + JsonPatch.escape(key);
    }
}

package io.ocimirror.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** An RFC 6902 JSON Patch under construction. */
public final class JsonPatch {

    private final ArrayNode operations = JsonNodeFactory.instance.arrayNode();

    /**
     * Replaces a value, guarded by a {@code test} of the value found in the request: if anything changed it in
     * between (another webhook), the patch fails instead of overwriting it.
     */
    public JsonPatch testAndReplace(String path, JsonNode expected, JsonNode value) {
        operation("test", path).set("value", expected);
        operation("replace", path).set("value", value);
        return this;
    }

    /** Removes a value, guarded by a {@code test} of the value found in the request. */
    public JsonPatch testAndRemove(String path, JsonNode expected) {
        operation("test", path).set("value", expected);
        operation("remove", path);
        return this;
    }

    public JsonPatch add(String path, JsonNode value) {
        operation("add", path).set("value", value);
        return this;
    }

    public boolean isEmpty() {
        return operations.isEmpty();
    }

    /** The operations as a JSON array (shared, do not modify). */
    public ArrayNode operations() {
        return operations;
    }

    /** Escapes one JSON Pointer reference token (RFC 6901 §3): {@code ~} as {@code ~0}, {@code /} as {@code ~1}. */
    public static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }

    private ObjectNode operation(String op, String path) {
        return operations.addObject().put("op", op).put("path", path);
    }
}

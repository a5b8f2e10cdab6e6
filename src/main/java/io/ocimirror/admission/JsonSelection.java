package io.ocimirror.admission;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The parts of a JSON value to read into a tree: either the whole value, or some fields of an object, each with its
 * own selection. An array is read element by element with the array's selection. Everything else is parsed (so the
 * input must still be valid JSON) but skipped without building nodes.
 *
 * <p>An AdmissionReview of a Pod is mostly what the webhook never looks at (managedFields, env, probes, volumes);
 * building a tree of all of it cost more CPU than everything else an admission does (bench/README.md).
 */
public final class JsonSelection {

    /** The value as it is, everything in it. */
    public static final JsonSelection WHOLE = new JsonSelection(null);

    /** Field name to selection; {@code null} for {@link #WHOLE}. */
    private final Map<String, JsonSelection> fields;

    private JsonSelection(Map<String, JsonSelection> fields) {
        this.fields = fields;
    }

    /** These fields of an object, each read as its selection says. */
    public static JsonSelection fields(Map<String, JsonSelection> fields) {
        return new JsonSelection(Map.copyOf(fields));
    }

    /** These fields of an object, each read whole. */
    public static JsonSelection wholeFields(String... names) {
        Map<String, JsonSelection> fields = new HashMap<>();
        for (String name : names) {
            fields.put(name, WHOLE);
        }
        return fields(fields);
    }

    /** Everything that this or {@code other} selects. */
    public JsonSelection and(JsonSelection other) {
        if (fields == null || other.fields == null) {
            return WHOLE;
        }
        Map<String, JsonSelection> merged = new HashMap<>(fields);
        other.fields.forEach((name, selection) -> merged.merge(name, selection, JsonSelection::and));
        return fields(merged);
    }

    /**
     * Reads the value that starts at the parser's current token; the parser's next token is what follows the value.
     *
     * @param parser a parser with an {@code ObjectMapper} as its codec (for the parts read whole), one that does not
     *               fail on trailing tokens
     */
    public JsonNode read(JsonParser parser) throws IOException {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.VALUE_STRING) {
            // Most values read are strings (names, images); this skips the tree reader's per-call set-up.
            return TextNode.valueOf(parser.getText());
        }
        if (fields == null || token.isScalarValue()) {
            return parser.readValueAsTree();
        }
        if (token == JsonToken.START_ARRAY) {
            ArrayNode array = JsonNodeFactory.instance.arrayNode();
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                array.add(read(parser));
            }
            return array;
        }
        ObjectNode object = JsonNodeFactory.instance.objectNode();
        for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
            JsonSelection selection = fields.get(name);
            parser.nextToken();
            if (selection == null) {
                parser.skipChildren();
            } else {
                object.set(name, selection.read(parser));
            }
        }
        return object;
    }
}

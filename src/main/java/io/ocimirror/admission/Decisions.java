package io.ocimirror.admission;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ocimirror.rewrite.RewriteOutcome.Rewritten;
import io.ocimirror.rewrite.RewriteOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The decisions of one object's references, and their record on the object: the annotation
 * {@value #ANNOTATION}, a JSON object from the key of each reference to its decision's short code
 * ({@link RewriteOutcome#code()}). A reference whose answer is simply "rewritten" is left out, so an object whose
 * every reference was rewritten carries no record; the record is written only when it differs from the one the object
 * holds, so admitting the webhook's own output again patches nothing.
 */
final class Decisions {

    /** Why each reference of the object was not rewritten, keyed like {@code oci-mirror.io/original-images}. */
    static final String ANNOTATION = "oci-mirror.io/decisions";

    private final List<ReferenceDecision> decisions = new ArrayList<>();

    /** Adds the decision for the reference at {@code key}. */
    void add(String key, String asWritten, RewriteOutcome outcome) {
        decisions.add(new ReferenceDecision(key, asWritten, outcome));
    }

    /** Every decision, in the order they were made. */
    List<ReferenceDecision> all() {
        return List.copyOf(decisions);
    }

    /**
     * Adds the patch operations that bring the record on the object up to date: set when it differs, removed when
     * nothing is left to record.
     *
     * @param withRewritten record rewritten references too (observe mode, where nothing is rewritten)
     */
    void record(JsonPatch patch, JsonNode object, ObjectMapper mapper, boolean withRewritten) {
        ObjectNode record = JsonNodeFactory.instance.objectNode();
        decisions.stream()
                .filter(decision -> withRewritten || !(decision.outcome() instanceof Rewritten))
                .forEach(decision -> record.put(decision.key(), decision.outcome().code()));
        Optional<String> written = ObjectMetadata.annotation(object, ANNOTATION);
        if (record.isEmpty()) {
            if (written.isPresent()) {
                ObjectMetadata.removeAnnotation(patch, object, ANNOTATION);
            }
        } else if (written.flatMap(json -> readObject(json, mapper)).filter(record::equals).isEmpty()) {
            ObjectMetadata.setAnnotation(patch, object, ANNOTATION, record.toString());
        }
    }

    private static Optional<ObjectNode> readObject(String json, ObjectMapper mapper) {
        try {
            return mapper.readTree(json) instanceof ObjectNode node ? Optional.of(node) : Optional.empty();
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }
}

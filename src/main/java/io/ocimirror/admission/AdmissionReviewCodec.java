package io.ocimirror.admission;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/** Reads {@code admission.k8s.io/v1} AdmissionReview requests and writes the responses. */
public final class AdmissionReviewCodec {

    private static final String API_VERSION = "admission.k8s.io/v1";
    private static final String KIND = "AdmissionReview";

    /**
     * Kubernetes objects nest a few dozen levels (managedFields included); deeper input is not an object the API
     * server sends, and refusing it bounds the parser's work.
     */
    static final int MAX_NESTING_DEPTH = 128;

    private final ObjectMapper mapper;
    private final JsonSelection reviewParts;

    /**
     * Reads with its own parser limits; {@code mapper}'s other settings are kept.
     *
     * @param objectParts the parts of {@code request.object} and {@code request.oldObject} to read; the rest of
     *                    the objects is skipped
     */
    public AdmissionReviewCodec(ObjectMapper mapper, JsonSelection objectParts) {
        JsonFactory factory = mapper.getFactory().copy();
        factory.setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build());
        // Parts of the review are read whole in the middle of it; the trailing content check is done once, above.
        this.mapper = mapper.copyWith(factory).disable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        this.reviewParts = JsonSelection.fields(Map.of(
                "apiVersion", JsonSelection.WHOLE,
                "kind", JsonSelection.WHOLE,
                "request", JsonSelection.fields(Map.of(
                        "uid", JsonSelection.WHOLE,
                        "resource", JsonSelection.WHOLE,
                        "subResource", JsonSelection.WHOLE,
                        "operation", JsonSelection.WHOLE,
                        "namespace", JsonSelection.WHOLE,
                        "dryRun", JsonSelection.WHOLE,
                        "object", objectParts,
                        "oldObject", objectParts))));
    }

    public AdmissionRequest read(byte[] body) throws InvalidReviewException {
        JsonNode review;
        try (JsonParser parser = mapper.createParser(body)) {
            review = parser.nextToken() == null ? MissingNode.getInstance() : reviewParts.read(parser);
            if (parser.nextToken() != null) {
                throw new InvalidReviewException("body has more after the JSON value");
            }
        } catch (JacksonException e) {
            throw new InvalidReviewException("body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InvalidReviewException("body could not be read: " + e.getMessage());
        }
        if (!review.isObject()) {
            throw new InvalidReviewException("body is not a JSON object");
        }
        String apiVersion = review.path("apiVersion").asText("");
        if (!apiVersion.equals(API_VERSION) || !review.path("kind").asText("").equals(KIND)) {
            throw new InvalidReviewException("expected apiVersion " + API_VERSION + " and kind " + KIND
                    + " (set admissionReviewVersions: [v1] in the webhook configuration)");
        }
        JsonNode request = review.path("request");
        if (!request.isObject()) {
            throw new InvalidReviewException("request is missing");
        }
        String uid = request.path("uid").isTextual() ? request.path("uid").asText() : "";
        if (uid.isEmpty()) {
            throw new InvalidReviewException("request.uid is missing");
        }
        return new AdmissionRequest(
                uid,
                text(request.path("resource"), "group"),
                text(request.path("resource"), "resource"),
                text(request, "subResource"),
                text(request, "operation"),
                text(request, "namespace"),
                request.path("dryRun").asBoolean(false),
                request.path("object"),
                request.path("oldObject"));
    }

    /** The one place that puts the request's uid into a response; every response admits the object. */
    public byte[] write(String uid, AdmissionOutcome outcome) {
        ObjectNode review = mapper.createObjectNode().put("apiVersion", API_VERSION).put("kind", KIND);
        ObjectNode response = review.putObject("response").put("uid", uid).put("allowed", true);
        try {
            if (outcome.isPatched()) {
                byte[] patch = mapper.writeValueAsBytes(outcome.patch().operations());
                response.put("patchType", "JSONPatch").put("patch", Base64.getEncoder().encodeToString(patch));
            }
            if (!outcome.warnings().isEmpty()) {
                outcome.warnings().forEach(response.putArray("warnings")::add);
            }
            return mapper.writeValueAsBytes(review);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialise an AdmissionReview", e);
        }
    }

    /** The JSON error body every rejected request gets: {@code {"error": "...", "status": 400}}. */
    static byte[] error(int status, String message) {
        return JsonNodeFactory.instance.objectNode().put("error", message).put("status", status).toString()
                .getBytes(StandardCharsets.UTF_8);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isTextual() ? value.asText() : "";
    }
}

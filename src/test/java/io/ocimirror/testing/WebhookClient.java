package io.ocimirror.testing;

import static io.restassured.RestAssured.given;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flipkart.zjsonpatch.JsonPatch;
import io.restassured.config.SSLConfig;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * Plays the API server: sends AdmissionReviews to {@code POST /mutate} over HTTPS (trusting only the test CA),
 * checks the response envelope, and applies the returned JSONPatch to the object with a real RFC 6902
 * implementation.
 */
public final class WebhookClient {

    private final URL baseUrl;
    private final ObjectMapper mapper = new ObjectMapper();
    private final ObjectMapper strict = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public WebhookClient(URL baseUrl) {
        this.baseUrl = baseUrl;
    }

    public RequestSpecification request() {
        return given()
                .baseUri(baseUrl.toString())
                .config(io.restassured.RestAssured.config()
                        .sslConfig(SSLConfig.sslConfig().trustStore(TestCertificates.trustStore())));
    }

    /** An AdmissionReview v1 around an object. */
    public ObjectNode review(String group, String version, String resource, String subResource, String operation,
            String namespace, JsonNode object, JsonNode oldObject, boolean dryRun) {
        ObjectNode review = mapper.createObjectNode().put("apiVersion", "admission.k8s.io/v1")
                .put("kind", "AdmissionReview");
        ObjectNode request = review.putObject("request").put("uid", UUID.randomUUID().toString());
        request.putObject("kind").put("group", group).put("version", version)
                .put("kind", object.path("kind").asText());
        request.putObject("resource").put("group", group).put("version", version).put("resource", resource);
        if (subResource != null) {
            request.put("subResource", subResource);
        }
        request.put("operation", operation).put("namespace", namespace).put("dryRun", dryRun);
        request.set("object", object);
        if (oldObject != null) {
            request.set("oldObject", oldObject);
        }
        return review;
    }

    /** Posts a review and returns the verified response part. */
    public Admission admit(ObjectNode review) {
        return admit(review, "/mutate");
    }

    /** Posts a review to {@code path} and returns the verified response part. */
    public Admission admit(ObjectNode review, String path) {
        Response response = request().contentType("application/json").body(review.toString()).post(path);
        if (response.statusCode() != 200) {
            throw new AssertionError("expected 200 but got " + response.statusCode() + ": " + response.asString());
        }
        JsonNode body = read(response.asString());
        JsonNode answer = body.path("response");
        String uid = review.path("request").path("uid").asText();
        require("admission.k8s.io/v1".equals(body.path("apiVersion").asText()), "apiVersion", body);
        require("AdmissionReview".equals(body.path("kind").asText()), "kind", body);
        require(uid.equals(answer.path("uid").asText()), "uid echoed", body);
        require(answer.path("allowed").asBoolean(false), "allowed", body);
        JsonNode patch = answer.has("patch")
                ? read(new String(Base64.getDecoder().decode(answer.path("patch").asText())))
                : mapper.createArrayNode();
        require(answer.has("patch") == answer.has("patchType"), "patchType only with a patch", body);
        if (answer.has("patchType")) {
            require("JSONPatch".equals(answer.path("patchType").asText()), "patchType JSONPatch", body);
        }
        List<String> warnings = new ArrayList<>();
        answer.path("warnings").forEach(w -> warnings.add(w.asText()));
        return new Admission(patch, warnings);
    }

    /**
     * The API server's whole round for a review: admit it, apply the patch to the object, and admit the patched
     * object again (as on reinvocation), which must change nothing.
     */
    public Settled admitAndResubmit(ObjectNode review) {
        Admission admission = admit(review);
        JsonNode patched = admission.applyTo(review.path("request").path("object"));
        ObjectNode again = review.deepCopy();
        ((ObjectNode) again.get("request")).put("uid", UUID.randomUUID().toString()).set("object", patched);
        Admission second = admit(again);
        if (!second.isEmpty()) {
            throw new AssertionError("a second pass must not change anything, got " + second.patch());
        }
        return new Settled(admission, patched);
    }

    /** An admission and the object as the API server stores it. */
    public final class Settled {

        private final Admission admission;
        private final JsonNode object;

        private Settled(Admission admission, JsonNode object) {
            this.admission = admission;
            this.object = object;
        }

        public Admission admission() {
            return admission;
        }

        public JsonNode object() {
            return object;
        }

        /** The stored object read strictly as its Kubernetes type: unknown or mistyped fields fail. */
        public <T> T as(Class<T> type) {
            try {
                return strict.treeToValue(object, type);
            } catch (IOException e) {
                throw new AssertionError("patched object is not a valid " + type.getSimpleName() + ": " + object, e);
            }
        }
    }

    /** What came back, with the API server's next step: applying the patch to the object. */
    public record Admission(JsonNode patch, List<String> warnings) {

        public JsonNode applyTo(JsonNode object) {
            return JsonPatch.apply(patch, object);
        }

        public boolean isEmpty() {
            return patch.isEmpty();
        }
    }

    public JsonNode read(String json) {
        try {
            return mapper.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void require(boolean condition, String what, JsonNode body) {
        if (!condition) {
            throw new AssertionError("response check failed (" + what + "): " + body);
        }
    }
}

package io.ocimirror.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flipkart.zjsonpatch.JsonPatch;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Generated hostile and odd input through the whole admission webhook (reading, handlers, patch, writing), without
 * the HTTP server so that thousands of cases run in seconds. Whatever the input: never a 5xx, always a JSON answer,
 * the request's uid echoed, a patch that applies cleanly to the object the API server holds, and no further change
 * when the webhook sees its own output.
 */
class HostileInputTest {

    private static final List<String> REPLACEABLE_PATHS = List.of(
            "/metadata", "/metadata/annotations", "/metadata/ownerReferences", "/metadata/name", "/spec",
            "/spec/containers", "/spec/initContainers", "/spec/ephemeralContainers", "/spec/containers/0",
            "/spec/containers/0/name", "/spec/containers/0/image", "/spec/initContainers/0/image",
            "/metadata/annotations/oci-mirror.io~1original-images", "/metadata/annotations/oci-mirror.io~1skip",
            "/spec/containers/0/imagePullPolicy", "/spec/volumes", "/spec/volumes/0", "/spec/volumes/0/name",
            "/spec/volumes/0/image", "/spec/volumes/0/image/reference", "/spec/volumes/0/image/pullPolicy", "/spec/os",
            "/spec/nodeSelector", "/spec/affinity", "/metadata/annotations/kubernetes.io~1config.mirror",
            "/metadata/labels", "/metadata/labels/oci-mirror.io~1rewritten");

    private final ObjectMapper mapper = new ObjectMapper();
    private final AdmissionWebhook webhook = ExampleWebhook.create(mapper);
    private final ObjectNode pod = load("/pods/web-pod.json");

    @Property(tries = 300)
    void anyBodyGetsAJsonAnswerAndNever500(@ForAll @Size(min = 1, max = 2000) byte[] body) {
        AdmissionWebhook.Reply reply = webhook.review(body);

        assertTrue(reply.status() == 200 || reply.status() == 400, "status " + reply.status());
        JsonNode answer = read(reply.body());
        assertTrue(answer.isObject(), "answer is a JSON object");
    }

    @Property(tries = 300)
    void aTruncatedReviewIsAClientError(@ForAll @IntRange(min = 1, max = 100) int percent) {
        byte[] whole = review(pod).toString().getBytes(StandardCharsets.UTF_8);
        byte[] truncated = Arrays.copyOf(whole, Math.min(whole.length - 1, whole.length * percent / 100));

        AdmissionWebhook.Reply reply = webhook.review(truncated);

        assertEquals(400, reply.status(), () -> new String(reply.body(), StandardCharsets.UTF_8));
    }

    @Property(tries = 500)
    void anOddPodIsAdmittedWithAPatchThatAppliesAndSettles(@ForAll("oddPods") ObjectNode oddPod) {
        byte[] sent = review(oddPod).toString().getBytes(StandardCharsets.UTF_8);
        // What the API server holds is what went over the wire (UTF-8 has no lone surrogates, for one).
        JsonNode object = read(sent).path("request").path("object");

        JsonNode mutated = JsonPatch.apply(patchOf(admit(sent)), object);

        JsonNode secondPatch = patchOf(admit(review(mutated).toString().getBytes(StandardCharsets.UTF_8)));
        assertEquals(0, secondPatch.size(), () -> "the webhook changed its own output again: " + secondPatch);
    }

    /** The handlers read only the parts of the object they declare; whatever its shape, that changes no answer. */
    @Property(tries = 300)
    void anOddPodGetsTheAnswerAWholeTreeReadGives(@ForAll("oddPods") ObjectNode oddPod) throws InvalidReviewException {
        byte[] sent = review(oddPod).toString().getBytes(StandardCharsets.UTF_8);
        AdmissionWebhook admission = ExampleWebhook.create(mapper, request -> { });

        AdmissionOutcome whole = admission.admit(new AdmissionReviewCodec(mapper, JsonSelection.WHOLE).read(sent));
        AdmissionOutcome selective = admission.admit(new AdmissionReviewCodec(mapper, admission.objectParts()).read(sent));

        assertEquals(whole.patch().operations(), selective.patch().operations());
        assertEquals(whole.warnings(), selective.warnings());
        assertEquals(whole.replications(), selective.replications());
    }

    @Property(tries = 200)
    void duplicateKeysAreReadAsTheApiServerReadsThemLastOneWins(@ForAll("images") String first,
            @ForAll("images") String last) {
        String object = "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\"},\"spec\":{\"containers\":"
                + "[{\"name\":\"c\",\"image\":" + quote(first) + ",\"image\":" + quote(last) + "}]}}";
        String review = "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{"
                + "\"uid\":\"dup\",\"operation\":\"CREATE\",\"resource\":{\"group\":\"\",\"resource\":\"pods\"},"
                + "\"object\":" + object + "}}";

        JsonNode answer = read(webhook.review(review.getBytes(StandardCharsets.UTF_8)).body());

        assertEquals("dup", answer.path("response").path("uid").asText());
        JsonPatch.apply(patchOf(answer), read(object.getBytes(StandardCharsets.UTF_8)));
    }

    @Provide
    Arbitrary<String> images() {
        Arbitrary<String> component = Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz0123456789._-")
                .ofMinLength(1).ofMaxLength(20);
        Arbitrary<String> registry = Arbitraries.of("", "docker.io/", "index.docker.io/", "ghcr.io/", "quay.io/",
                "localhost:5000/", "[::1]:5000/", "mirror.example.com/dockerhub-mirror/", "registry.k8s.io/",
                "Registry.Example.COM/");
        Arbitrary<String> suffix = Arbitraries.of("", ":1.25", ":latest", "@sha256:" + "a".repeat(64),
                ":v1@sha256:" + "b".repeat(64), "@sha256:short", ":", "@", ":tag:tag");
        Arbitrary<String> structured = Combinators.combine(registry, component.list().ofMinSize(1).ofMaxSize(4), suffix)
                .as((r, path, s) -> r + String.join("/", path) + s);
        Arbitrary<String> anything = Arbitraries.strings().all().ofMaxLength(300);
        Arbitrary<String> longPath = component.list().ofMinSize(20).ofMaxSize(60).map(path -> String.join("/", path));
        // Thousands of grammar components: the parser must refuse them by length before its regular expressions run.
        Arbitrary<String> manyComponents = Combinators.combine(Arbitraries.integers().between(500, 4000),
                Arbitraries.of("app@%sa:" + "0".repeat(64), "%sio/app", "app:1.%s"))
                .as((n, shape) -> shape.formatted("a.".repeat(n)));
        return Arbitraries.oneOf(structured, structured, anything, longPath, manyComponents);
    }

    @Provide
    Arbitrary<ObjectNode> oddPods() {
        Arbitrary<Mutation> setImage = Combinators.combine(Arbitraries.of("containers", "initContainers",
                "ephemeralContainers"), Arbitraries.integers().between(0, 3), images())
                .as((list, index, image) -> pod -> setImage(pod, list, index, image));
        Arbitrary<Mutation> replaceNode = Combinators.combine(Arbitraries.of(REPLACEABLE_PATHS), oddValues())
                .as((path, value) -> pod -> replace(pod, path, value));
        Arbitrary<Mutation> setVolumeImage = Combinators.combine(Arbitraries.integers().between(0, 3), images(),
                Arbitraries.of("IfNotPresent", "Always", "Never", ""))
                .as((index, image, pullPolicy) -> pod -> setVolumeImage(pod, index, image, pullPolicy));
        Arbitrary<Mutation> manyContainers = Combinators.combine(Arbitraries.integers().between(50, 400), images())
                .as((count, image) -> pod -> addContainers(pod, count, image));
        return Arbitraries.oneOf(setImage, setImage, setVolumeImage, replaceNode, manyContainers).list().ofMinSize(1).ofMaxSize(5)
                .map(mutations -> {
                    ObjectNode copy = pod.deepCopy();
                    mutations.forEach(mutation -> mutation.apply(copy));
                    return copy;
                });
    }

    private Arbitrary<JsonNode> oddValues() {
        JsonNodeFactory json = JsonNodeFactory.instance;
        return Arbitraries.oneOf(
                Arbitraries.just(json.nullNode()),
                Arbitraries.integers().map(json::numberNode),
                Arbitraries.strings().all().ofMaxLength(100).map(json::textNode),
                Arbitraries.just(json.booleanNode(true)),
                Arbitraries.just(json.objectNode()),
                Arbitraries.just(json.arrayNode()),
                Arbitraries.integers().between(1, AdmissionReviewCodec.MAX_NESTING_DEPTH - 20).map(this::nested),
                Arbitraries.integers().between(1, 5000).map(size -> {
                    ArrayNode array = json.arrayNode();
                    for (int i = 0; i < size; i++) {
                        array.add("x" + i);
                    }
                    return array;
                }));
    }

    private JsonNode admit(byte[] review) {
        AdmissionWebhook.Reply reply = webhook.review(review);
        assertEquals(200, reply.status(), () -> new String(reply.body(), StandardCharsets.UTF_8));
        JsonNode answer = read(reply.body());
        assertEquals(read(review).path("request").path("uid").asText(), answer.path("response").path("uid").asText());
        assertTrue(answer.path("response").path("allowed").asBoolean(false), "allowed");
        return answer;
    }

    private JsonNode patchOf(JsonNode answer) {
        JsonNode response = answer.path("response");
        if (!response.has("patch")) {
            return mapper.createArrayNode();
        }
        assertEquals("JSONPatch", response.path("patchType").asText());
        return read(Base64.getDecoder().decode(response.path("patch").asText()));
    }

    private ObjectNode review(JsonNode object) {
        ObjectNode review = mapper.createObjectNode().put("apiVersion", "admission.k8s.io/v1")
                .put("kind", "AdmissionReview");
        ObjectNode request = review.putObject("request").put("uid", "u-" + System.nanoTime())
                .put("operation", "CREATE").put("namespace", "shop");
        request.putObject("resource").put("group", "").put("version", "v1").put("resource", "pods");
        request.set("object", object);
        return review;
    }

    private JsonNode nested(int depth) {
        ObjectNode root = mapper.createObjectNode();
        ObjectNode node = root;
        for (int i = 0; i < depth; i++) {
            node = node.putObject("n");
        }
        return root;
    }

    private interface Mutation {
        void apply(ObjectNode pod);
    }

    private static void setImage(ObjectNode pod, String list, int index, String image) {
        ArrayNode containers = containerList(pod, list);
        if (containers == null) {
            return;
        }
        while (containers.size() <= index) {
            containers.addObject().put("name", list + "-" + containers.size());
        }
        if (containers.get(index) instanceof ObjectNode container) {
            container.put("image", image);
        }
    }

    private static void setVolumeImage(ObjectNode pod, int index, String image, String pullPolicy) {
        ArrayNode volumes = containerList(pod, "volumes");
        if (volumes == null) {
            return;
        }
        while (volumes.size() <= index) {
            volumes.addObject().put("name", "volume-" + volumes.size());
        }
        if (volumes.get(index) instanceof ObjectNode volume) {
            volume.putObject("image").put("reference", image).put("pullPolicy", pullPolicy);
        }
    }

    private static void replace(ObjectNode pod, String path, JsonNode value) {
        int slash = path.lastIndexOf('/');
        JsonNode parent = pod.at(path.substring(0, slash));
        String field = path.substring(slash + 1).replace("~1", "/").replace("~0", "~");
        if (parent instanceof ObjectNode object) {
            object.set(field, value.deepCopy());
        } else if (parent instanceof ArrayNode array && !array.isEmpty()) {
            array.set(0, value.deepCopy());
        }
    }

    private static void addContainers(ObjectNode pod, int count, String image) {
        ArrayNode containers = containerList(pod, "containers");
        if (containers == null) {
            return;
        }
        // Names stay unique however often this runs: the API server refuses a Pod with two containers of one name
        // (validation, after admission), so such a Pod is never admitted a second time.
        int first = containers.size();
        for (int i = first; i < first + count; i++) {
            containers.addObject().put("name", "many-" + i).put("image", image);
        }
    }

    /** The container or volume list to change, created if missing; null when an earlier mutation made spec or it odd. */
    private static ArrayNode containerList(ObjectNode pod, String list) {
        if (!(pod.get("spec") instanceof ObjectNode spec)) {
            return null;
        }
        if (spec.get(list) == null) {
            spec.putArray(list);
        }
        return spec.get(list) instanceof ArrayNode containers ? containers : null;
    }

    private JsonNode read(byte[] json) {
        try {
            return mapper.readTree(json);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + new String(json, StandardCharsets.UTF_8), e);
        }
    }

    private String quote(String text) {
        return mapper.getNodeFactory().textNode(text).toString();
    }

    private ObjectNode load(String resource) {
        try (InputStream in = getClass().getResourceAsStream(resource)) {
            return (ObjectNode) mapper.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package io.ocimirror.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flipkart.zjsonpatch.JsonPatch;
import io.fabric8.kubernetes.api.model.Pod;
import io.ocimirror.rewrite.RewriteGate;
import io.ocimirror.rewrite.RewriteMode;
import io.ocimirror.rewrite.RewriteOutcome.HeldBack;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The record of decisions ({@code oci-mirror.io/decisions}) on Pods of the example configuration, read the way the
 * API server uses the answer: the patch applied with zjsonpatch, the result read as a typed Pod, and the webhook's
 * own output admitted again without a patch.
 */
class DecisionRecordTest {

    private static final String HUB = "mirror.example.com/dockerhub-mirror/";
    /** Holds back every rewrite to the Docker Hub mirror as if its breaker were open. */
    private static final RewriteGate HUB_UNAVAILABLE = rewrite -> rewrite.mirror().sourceRegistry().equals("docker.io")
            ? Optional.of(HeldBack.Reason.MIRROR_UNAVAILABLE)
            : Optional.empty();

    private final ObjectMapper mapper = new ObjectMapper();

    static Stream<Arguments> pods() {
        return Stream.of(
                // name, containers ("name=image" or "name=image=Never"), volume image ("" for none), gate, mode,
                // the record afterwards ("" for none), image of the first container afterwards
                Arguments.of("every image rewritten: no record", List.of("web=nginx:1.25"), "",
                        RewriteGate.ALWAYS, RewriteMode.ENFORCE, "", HUB + "library/nginx:1.25"),
                Arguments.of("no mirror", List.of("web=nginx:1.25", "tool=registry.example.org/tool:1"), "",
                        RewriteGate.ALWAYS, RewriteMode.ENFORCE, "{\"tool\":\"unchanged:no-mirror\"}",
                        HUB + "library/nginx:1.25"),
                Arguments.of("excluded image", List.of("db=ghcr.io/cloudnative-pg/postgresql:16"), "",
                        RewriteGate.ALWAYS, RewriteMode.ENFORCE, "{\"db\":\"unchanged:excluded\"}",
                        "ghcr.io/cloudnative-pg/postgresql:16"),
                Arguments.of("already on a mirror", List.of("web=" + HUB + "library/nginx:1.25"), "",
                        RewriteGate.ALWAYS, RewriteMode.ENFORCE, "{\"web\":\"unchanged:on-mirror\"}",
                        HUB + "library/nginx:1.25"),
                Arguments.of("invalid reference", List.of("web=Nginx:1.25"), "",
                        RewriteGate.ALWAYS, RewriteMode.ENFORCE, "{\"web\":\"cannot-mirror:invalid-reference\"}",
                        "Nginx:1.25"),
                Arguments.of("pull policy Never", List.of("web=nginx:1.25=Never"), "",
                        RewriteGate.ALWAYS, RewriteMode.ENFORCE, "{\"web\":\"skipped:pull-policy-never\"}",
                        "nginx:1.25"),
                Arguments.of("held back, mirror unavailable", List.of("web=nginx:1.25", "app=ghcr.io/org/app:1"), "",
                        HUB_UNAVAILABLE, RewriteMode.ENFORCE, "{\"web\":\"held-back:mirror-unavailable\"}",
                        "nginx:1.25"),
                Arguments.of("image volume", List.of("web=nginx:1.25"), "registry.example.org/data:1",
                        RewriteGate.ALWAYS, RewriteMode.ENFORCE, "{\"volume/data\":\"unchanged:no-mirror\"}",
                        HUB + "library/nginx:1.25"),
                Arguments.of("observe: every decision recorded, nothing rewritten",
                        List.of("web=nginx:1.25", "tool=registry.example.org/tool:1"), "",
                        RewriteGate.ALWAYS, RewriteMode.OBSERVE,
                        "{\"web\":\"rewritten\",\"tool\":\"unchanged:no-mirror\"}", "nginx:1.25"),
                Arguments.of("observe, held back", List.of("web=nginx:1.25"), "",
                        HUB_UNAVAILABLE, RewriteMode.OBSERVE, "{\"web\":\"held-back:mirror-unavailable\"}",
                        "nginx:1.25"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pods")
    void recordsEveryDecisionButRewrittenOnceAndSettles(String name, List<String> containers, String volume,
            RewriteGate gate, RewriteMode mode, String record, String firstImage) throws JsonProcessingException {
        AdmissionWebhook webhook = ExampleWebhook.create(mapper, request -> { }, gate);
        ObjectNode pod = pod(containers, volume);

        JsonNode mutated = JsonPatch.apply(patchOf(webhook, pod, mode), pod);

        Pod typed = mapper.treeToValue(mutated, Pod.class);
        Map<String, String> annotations = Optional.ofNullable(typed.getMetadata().getAnnotations()).orElse(Map.of());
        assertEquals(record.isEmpty() ? Optional.empty() : Optional.of(mapper.readTree(record)),
                Optional.ofNullable(annotations.get(Decisions.ANNOTATION)).map(this::readTree));
        assertEquals(firstImage, typed.getSpec().getContainers().get(0).getImage());
        assertEquals(0, patchOf(webhook, (ObjectNode) mutated, mode).size(), "the second pass patches nothing");
    }

    static Stream<Arguments> untouched() {
        return Stream.of(
                // name, annotations, owner API version ("" for none)
                Arguments.of("static Pod", Map.of(PodHandler.STATIC_POD_ANNOTATION, "abc"), ""),
                Arguments.of("skip annotation", Map.of(ObjectMetadata.SKIP_ANNOTATION, "true"), ""),
                Arguments.of("excluded owner", Map.of(), "postgresql.cnpg.io/v1"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("untouched")
    void leavesObjectsThatAreLeftOutUntouched(String name, Map<String, String> annotations, String ownerApiVersion) {
        ObjectNode pod = pod(List.of("web=nginx:1.25", "tool=registry.example.org/tool:1"), "");
        ObjectNode metadata = (ObjectNode) pod.path("metadata");
        annotations.forEach(metadata.putObject("annotations")::put);
        if (!ownerApiVersion.isEmpty()) {
            metadata.putArray("ownerReferences").addObject().put("apiVersion", ownerApiVersion).put("kind", "Cluster")
                    .put("name", "db").put("uid", "u");
        }

        for (RewriteMode mode : RewriteMode.values()) {
            assertEquals(0, patchOf(ExampleWebhook.create(mapper), pod, mode).size(), mode.name());
        }
    }

    private JsonNode patchOf(AdmissionWebhook webhook, ObjectNode pod, RewriteMode mode) {
        ObjectNode review = mapper.createObjectNode().put("apiVersion", "admission.k8s.io/v1")
                .put("kind", "AdmissionReview");
        ObjectNode request = review.putObject("request").put("uid", "u").put("operation", "CREATE")
                .put("namespace", "default");
        request.putObject("resource").put("group", "").put("version", "v1").put("resource", "pods");
        request.set("object", pod);
        JsonNode answer = readTree(new String(
                webhook.review(review.toString().getBytes(StandardCharsets.UTF_8), mode).body(),
                StandardCharsets.UTF_8));
        JsonNode patch = answer.path("response").path("patch");
        return patch.isMissingNode()
                ? mapper.createArrayNode()
                : readTree(new String(Base64.getDecoder().decode(patch.asText()), StandardCharsets.UTF_8));
    }

    private ObjectNode pod(List<String> containers, String volume) {
        ObjectNode pod = mapper.createObjectNode().put("apiVersion", "v1").put("kind", "Pod");
        pod.putObject("metadata").put("name", "p").put("namespace", "default");
        ObjectNode spec = pod.putObject("spec");
        containers.forEach(container -> {
            String[] parts = container.split("=");
            ObjectNode node = spec.withArray("containers").addObject().put("name", parts[0]).put("image", parts[1]);
            if (parts.length > 2) {
                node.put("imagePullPolicy", parts[2]);
            }
        });
        if (!volume.isEmpty()) {
            spec.putArray("volumes").addObject().put("name", "data").putObject("image").put("reference", volume);
        }
        return pod;
    }

    private JsonNode readTree(String json) {
        try {
            return mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

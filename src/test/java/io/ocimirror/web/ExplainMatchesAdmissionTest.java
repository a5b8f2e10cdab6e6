package io.ocimirror.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flipkart.zjsonpatch.JsonPatch;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ocimirror.admission.AdmissionRequest;
import io.ocimirror.admission.AdmissionWebhook;
import io.ocimirror.admission.PluginDefinitionHandler;
import io.ocimirror.admission.PodHandler;
import io.ocimirror.admission.Rewriter;
import io.ocimirror.config.ConfigurationOwner;
import io.ocimirror.configstore.ConfigurationStore;
import io.ocimirror.greenhouse.MirrorConfigurationRouter;
import io.ocimirror.rewrite.RewriteGate;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * For generated Pods, {@code explain --object} says of every container what the webhook then does to it: the
 * mirrored reference for a rewritten image, the image as written for every other decision.
 */
class ExplainMatchesAdmissionTest {

    private static final Path CONFIG = Path.of("examples/mirror-config.yaml");

    private final ObjectMapper mapper = new ObjectMapper();

    @Property(tries = 100)
    void theExplanationIsWhatTheWebhookPatches(@ForAll("pods") ObjectNode pod) throws IOException {
        Path file = Files.createTempFile("explain", ".json");
        try {
            Files.writeString(file, pod.toString());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            new ExplainCommand(new PrintStream(out, true, StandardCharsets.UTF_8), System.err)
                    .run(List.of("--config", CONFIG.toString(), "--object", file.toString(), "--output", "json"));
            JsonNode explanations = mapper.readTree(out.toString(StandardCharsets.UTF_8));

            JsonNode mutated = JsonPatch.apply(webhook().admit(request(pod)).patch().operations(), pod);

            JsonNode containers = mutated.path("spec").path("containers");
            assertEquals(containers.size(), explanations.size(), explanations::toString);
            for (int i = 0; i < containers.size(); i++) {
                JsonNode explanation = explanations.get(i);
                String expected = explanation.path("decision").asText().equals("rewritten")
                        ? explanation.path("mirrored").asText()
                        : explanation.path("reference").asText();
                assertEquals(expected, containers.get(i).path("image").asText(), explanation::toString);
            }
        } finally {
            Files.delete(file);
        }
    }

    @Provide
    Arbitrary<ObjectNode> pods() {
        Arbitrary<String> images = Arbitraries.of("nginx:1.25", "ghcr.io/org/app:1", "quay.io/org/x@sha256:" + "a".repeat(64),
                "registry.k8s.io/pause:3.9", "example.org/tool:1", "ghcr.io/cloudnative-pg/postgresql:16",
                "mirror.example.com/dockerhub-mirror/library/nginx:1", "Bad/Ref", "localhost:5000/a");
        Arbitrary<String> policies = Arbitraries.of("", "Always", "IfNotPresent", "Never");
        Arbitrary<ObjectNode> container = Combinators.combine(images, policies).as((image, policy) -> {
            ObjectNode node = mapper.createObjectNode().put("image", image);
            if (!policy.isEmpty()) {
                node.put("imagePullPolicy", policy);
            }
            return node;
        });
        return container.list().ofMinSize(1).ofMaxSize(5).map(list -> {
            ObjectNode pod = mapper.createObjectNode().put("apiVersion", "v1").put("kind", "Pod");
            pod.putObject("metadata").put("name", "p");
            ArrayNode containers = pod.putObject("spec").putArray("containers");
            for (int i = 0; i < list.size(); i++) {
                containers.add(list.get(i).put("name", "c" + i));
            }
            return pod;
        });
    }

    private AdmissionWebhook webhook() throws IOException {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        ConfigurationStore store = new ConfigurationStore(meters);
        store.apply(ConfigurationOwner.WEBHOOK, Files.readString(CONFIG), CONFIG.toString());
        Rewriter rewriter = new Rewriter(RewriteGate.ALWAYS);
        return new AdmissionWebhook(List.of(new PodHandler(mapper, rewriter),
                new PluginDefinitionHandler(rewriter, mapper)), MirrorConfigurationRouter.ownConfigurationOnly(store),
                request -> { }, meters, mapper);
    }

    private static AdmissionRequest request(ObjectNode pod) {
        return new AdmissionRequest("u", "", "pods", "", "CREATE", "default", false, pod,
                mapper().missingNode());
    }

    private static ObjectMapper mapper() {
        return new ObjectMapper();
    }
}

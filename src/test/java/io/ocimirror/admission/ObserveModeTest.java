package io.ocimirror.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.ocimirror.testing.TestCertificates;
import io.ocimirror.testing.WebhookClient;
import io.ocimirror.web.AdmissionRoute;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code POST /observe}, the path of namespaces labelled {@code oci-mirror.io/enabled: observe}: every decision is
 * recorded, no reference is rewritten, nothing else is patched, and admitting the result again patches nothing.
 */
@QuarkusTest
@QuarkusTestResource(TestCertificates.class)
class ObserveModeTest {

    @TestHTTPResource(value = "/", tls = true)
    URL url;

    private final ObjectMapper mapper = new ObjectMapper();

    static Stream<Arguments> pods() {
        return Stream.of(
                // case, images of the containers, the record afterwards
                Arguments.of("mirrored and not", List.of("nginx:1.25", "registry.example.org/tool:1"),
                        "{\"c0\":\"rewritten\",\"c1\":\"unchanged:no-mirror\"}"),
                Arguments.of("invalid", List.of("Bad/Ref"), "{\"c0\":\"cannot-mirror:invalid-reference\"}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pods")
    void recordsEveryDecisionAndRewritesNothing(String name, List<String> images, String record) throws Exception {
        WebhookClient client = new WebhookClient(url);
        ObjectNode pod = mapper.createObjectNode().put("apiVersion", "v1").put("kind", "Pod");
        pod.putObject("metadata").put("name", "p");
        for (int i = 0; i < images.size(); i++) {
            pod.withArray("/spec/containers").addObject().put("name", "c" + i).put("image", images.get(i));
        }

        JsonNode mutated = client.admit(client.review("", "v1", "pods", null, "CREATE", "shop", pod, null, false),
                AdmissionRoute.OBSERVE_PATH).applyTo(pod);

        Pod typed = mapper.treeToValue(mutated, Pod.class);
        assertEquals(images, typed.getSpec().getContainers().stream().map(c -> c.getImage()).toList());
        assertEquals(mapper.readTree(record),
                mapper.readTree(typed.getMetadata().getAnnotations().get(Decisions.ANNOTATION)));
        assertFalse(typed.getMetadata().getAnnotations().containsKey(PodHandler.ORIGINAL_IMAGES_ANNOTATION));
        assertFalse(typed.getMetadata().getLabels().containsKey(PodHandler.REWRITTEN_LABEL));
        assertEquals(0, client.admit(client.review("", "v1", "pods", null, "CREATE", "shop", (ObjectNode) mutated,
                null, false), AdmissionRoute.OBSERVE_PATH).patch().size(), "the second pass patches nothing");
    }
}

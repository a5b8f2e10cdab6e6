package io.ocimirror.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EphemeralContainer;
import io.fabric8.kubernetes.api.model.Pod;
import io.ocimirror.testing.TestCertificates;
import io.ocimirror.testing.WebhookClient.Admission;
import io.ocimirror.testing.WebhookClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Pods through {@code POST /mutate} over HTTPS, checked the way the API server would use the answer: the patch is
 * applied to the original Pod, the result must read as a typed Pod, and admitting the result again changes nothing.
 */
@QuarkusTest
@QuarkusTestResource(TestCertificates.class)
class PodAdmissionTest {

    private static final String HUB = "mirror.example.com/dockerhub-mirror/";

    @TestHTTPResource(value = "/", tls = true)
    URL url;

    private final ObjectMapper strict = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    @Test
    void rewritesEveryContainerListAndRecordsTheOriginals() {
        ObjectNode pod = loadPod();

        Pod mutated = admitAndApply(pod);

        assertEquals(List.of("mirror.example.com/ghcr-mirror/shop/migrations:2.4.1"), images(mutated.getSpec().getInitContainers()));
        assertEquals(List.of(
                        HUB + "library/nginx:1.25",
                        "mirror.example.com/quay-mirror/prometheus/nginx-exporter:1.1@sha256:4c2f5d4c1e6b8a7f9e0d3c2b1a09f8e7d6c5b4a39281706f5e4d3c2b1a0f9e8d",
                        "registry.example.org/tools/sidecar:3"),
                images(mutated.getSpec().getContainers()));
        Map<String, String> annotations = mutated.getMetadata().getAnnotations();
        assertEquals("2026-11-01T10:00:00Z", annotations.get("kubectl.kubernetes.io/restartedAt"));
        assertEquals(Map.of(
                        "migrate", "ghcr.io/shop/migrations:2.4.1",
                        "web", "nginx:1.25",
                        "exporter", "quay.io/prometheus/nginx-exporter:1.1@sha256:4c2f5d4c1e6b8a7f9e0d3c2b1a09f8e7d6c5b4a39281706f5e4d3c2b1a0f9e8d"),
                readMap(annotations.get(PodHandler.ORIGINAL_IMAGES_ANNOTATION)));
        assertEquals(Map.of("app", "web", "pod-template-hash", "7d4b9c8f6d", PodHandler.REWRITTEN_LABEL, "true"),
                mutated.getMetadata().getLabels());
    }

    @Test
    void labelsNoPodOfWhichNothingIsRewrittenButRecordsWhy() {
        ObjectNode pod = loadPod();
        ((ObjectNode) pod.path("spec")).remove(List.of("initContainers", "volumes"));
        ((ArrayNode) pod.at("/spec/containers")).forEach(container ->
                ((ObjectNode) container).put("image", "registry.example.org/tools/sidecar:3"));

        Pod mutated = admitAndApply(pod);

        assertEquals(Map.of("web", "unchanged:no-mirror", "exporter", "unchanged:no-mirror",
                        "sidecar", "unchanged:no-mirror"),
                readMap(mutated.getMetadata().getAnnotations().get(Decisions.ANNOTATION)));
        assertEquals(Map.of("app", "web", "pod-template-hash", "7d4b9c8f6d"), mutated.getMetadata().getLabels());
        assertEquals(List.of("registry.example.org/tools/sidecar:3", "registry.example.org/tools/sidecar:3",
                "registry.example.org/tools/sidecar:3"), images(mutated.getSpec().getContainers()));
    }

    @Test
    void guardsEveryReplaceWithATestOfTheOriginalValue() {
        ObjectNode pod = loadPod();

        Admission admission = client().admit(podReview(pod, "CREATE", null, null, false));

        JsonNode operations = admission.patch();
        for (int i = 0; i < operations.size(); i++) {
            JsonNode operation = operations.get(i);
            if (operation.path("op").asText().equals("replace")) {
                JsonNode test = operations.get(i - 1);
                assertEquals("test", test.path("op").asText(), "operation before " + operation);
                assertEquals(operation.path("path"), test.path("path"));
                assertEquals(pod.at(test.path("path").asText()), test.path("value"));
            }
        }
    }

    @Test
    void addsTheAnnotationsObjectWhenThePodHasNone() {
        ObjectNode pod = loadPod();
        ((ObjectNode) pod.path("metadata")).remove("annotations");

        Pod mutated = admitAndApply(pod);

        assertEquals(Map.of("web", "nginx:1.25", "migrate", "ghcr.io/shop/migrations:2.4.1",
                        "exporter", pod.at("/spec/containers/1/image").asText()),
                readMap(mutated.getMetadata().getAnnotations().get(PodHandler.ORIGINAL_IMAGES_ANNOTATION)));
    }

    @Test
    void keepsTheOriginalsOfImagesAnEarlierInvocationRewrote() {
        ObjectNode pod = loadPod();
        ((ObjectNode) pod.at("/spec/containers/0")).put("image", HUB + "library/nginx:1.25");
        pod.withObject("/metadata/annotations").put(PodHandler.ORIGINAL_IMAGES_ANNOTATION, "{\"web\":\"nginx:1.25\"}");

        Pod mutated = admitAndApply(pod);

        Map<String, String> originals = readMap(mutated.getMetadata().getAnnotations().get(PodHandler.ORIGINAL_IMAGES_ANNOTATION));
        assertEquals("nginx:1.25", originals.get("web"));
        assertEquals("ghcr.io/shop/migrations:2.4.1", originals.get("migrate"));
    }

    @Test
    void leavesInvalidReferencesAloneWithAWarning() {
        ObjectNode pod = loadPod();
        ((ObjectNode) pod.at("/spec/containers/0")).put("image", "Foo/Bar:1");
        ((ObjectNode) pod.at("/spec/containers/2")).put("image", 42);

        Admission admission = client().admit(podReview(pod, "CREATE", null, null, false));
        JsonNode mutated = admission.applyTo(pod);

        assertEquals("Foo/Bar:1", mutated.at("/spec/containers/0/image").asText());
        assertEquals(42, mutated.at("/spec/containers/2/image").asInt());
        assertEquals("mirror.example.com/ghcr-mirror/shop/migrations:2.4.1", mutated.at("/spec/initContainers/0/image").asText());
        assertEquals(2, admission.warnings().size(), admission.warnings().toString());
        assertTrue(admission.warnings().get(0).contains("\"Foo/Bar:1\" is not a valid reference"), admission.warnings().toString());
        assertTrue(admission.warnings().get(1).contains("is not a string"), admission.warnings().toString());
    }

    @Test
    void leavesSkippedPodsAlone() {
        ObjectNode pod = loadPod();
        pod.withObject("/metadata/annotations").put("oci-mirror.io/skip", "true");

        assertTrue(client().admit(podReview(pod, "CREATE", null, null, false)).isEmpty());
    }

    @Test
    void leavesPodsOfExcludedOperatorsAlone() {
        ObjectNode pod = loadPod();
        ((ObjectNode) pod.at("/metadata/ownerReferences/0")).put("apiVersion", "postgresql.cnpg.io/v1").put("kind", "Cluster");

        assertTrue(client().admit(podReview(pod, "CREATE", null, null, false)).isEmpty());
    }

    @Test
    void givesADryRunTheSamePatch() {
        ObjectNode pod = loadPod();

        Admission real = client().admit(podReview(pod, "CREATE", null, null, false));
        Admission dryRun = client().admit(podReview(pod, "CREATE", null, null, true));

        assertEquals(real.patch(), dryRun.patch());
    }

    @Test
    void ignoresOperationsItDoesNotHandle() {
        ObjectNode pod = loadPod();

        assertTrue(client().admit(podReview(pod, "UPDATE", null, pod, false)).isEmpty());
        assertTrue(client().admit(podReview(pod, "UPDATE", "status", pod, false)).isEmpty());
    }

    @Test
    void rewritesOnlyTheEphemeralContainerThatKubectlDebugAdds() {
        ObjectNode old = loadPod();
        old.withArray("/spec/ephemeralContainers").addObject().put("name", "debugger-old").put("image", "busybox:1.36");
        ObjectNode pod = old.deepCopy();
        ((ArrayNode) pod.at("/spec/ephemeralContainers")).addObject().put("name", "debugger-new").put("image", "busybox:1.36");

        Admission admission = client().admit(podReview(pod, "UPDATE", "ephemeralcontainers", old, false));
        Pod mutated = typed(admission.applyTo(pod));

        assertEquals(List.of("busybox:1.36", HUB + "library/busybox:1.36"),
                mutated.getSpec().getEphemeralContainers().stream().map(EphemeralContainer::getImage).toList());
        assertEquals("nginx:1.25", mutated.getSpec().getContainers().get(0).getImage());
        for (JsonNode operation : admission.patch()) {
            assertTrue(operation.path("path").asText().startsWith("/spec/ephemeralContainers/1/"),
                    "the API server drops everything but ephemeralContainers: " + operation);
        }
    }

    /** The API server's part: apply the patch, read the result as a Pod, and check a second pass is a no-op. */
    private Pod admitAndApply(ObjectNode pod) {
        return client().admitAndResubmit(podReview(pod, "CREATE", null, null, false)).as(Pod.class);
    }

    private ObjectNode podReview(ObjectNode pod, String operation, String subResource, JsonNode old, boolean dryRun) {
        return client().review("", "v1", "pods", subResource, operation, "shop", pod, old, dryRun);
    }

    private Pod typed(JsonNode json) {
        try {
            return strict.treeToValue(json, Pod.class);
        } catch (IOException e) {
            throw new AssertionError("patched object is not a valid Pod: " + json, e);
        }
    }

    private static List<String> images(List<Container> containers) {
        return containers.stream().map(Container::getImage).collect(Collectors.toList());
    }

    private Map<String, String> readMap(String json) {
        try {
            return strict.readValue(json, strict.getTypeFactory().constructMapType(Map.class, String.class, String.class));
        } catch (IOException e) {
            throw new AssertionError("not a JSON object of strings: " + json, e);
        }
    }

    private ObjectNode loadPod() {
        try (InputStream in = getClass().getResourceAsStream("/pods/web-pod.json")) {
            return (ObjectNode) strict.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private WebhookClient client() {
        return new WebhookClient(url);
    }
}

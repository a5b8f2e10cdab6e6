package io.ocimirror.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.ocimirror.testing.TestCertificates;
import io.ocimirror.testing.WebhookClient.Admission;
import io.ocimirror.testing.WebhookClient;
import io.ocimirror.testing.greenhouse.ClusterPluginDefinition;
import io.ocimirror.testing.greenhouse.PluginDefinition;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Greenhouse plugin definitions through {@code POST /mutate} over HTTPS. The review's resource names come from the
 * project's minimal CRDs; the API server's part is played as for Pods: apply the patch, read the typed object, and
 * admit the result again to see that nothing changes.
 */
@QuarkusTest
@QuarkusTestResource(TestCertificates.class)
class PluginDefinitionAdmissionTest {

    @TestHTTPResource(value = "/", tls = true)
    URL url;

    private final ObjectMapper strict = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    @Test
    void rewritesANamespacedPluginDefinition() {
        ObjectNode object = load("plugindefinition.json");

        PluginDefinition mutated = typed(admitAndApply(object, PluginDefinition.class, "platform"),
                PluginDefinition.class);

        assertEquals("oci://mirror.example.com/ghcr-mirror/stefanprodan/charts",
                mutated.getSpec().getHelmChart().getRepository());
        assertEquals("6.5.0", mutated.getSpec().getHelmChart().getVersion());
        assertEquals("oci://ghcr.io/stefanprodan/charts",
                mutated.getMetadata().getAnnotations().get(PluginDefinitionHandler.ORIGINAL_REPOSITORY_ANNOTATION));
        assertEquals("platform", mutated.getMetadata().getAnnotations().get("greenhouse.sap/owned-by"));
    }

    @Test
    void rewritesAClusterPluginDefinitionWithATrailingSlash() {
        ObjectNode object = load("clusterplugindefinition.json");

        ClusterPluginDefinition mutated = typed(admitAndApply(object, ClusterPluginDefinition.class, ""),
                ClusterPluginDefinition.class);

        assertEquals("oci://mirror.example.com/quay-mirror/jetstack/charts",
                mutated.getSpec().getHelmChart().getRepository());
    }

    @Test
    void leavesSkippedObjectsAloneAndGivesDryRunsTheSamePatch() {
        ObjectNode object = load("plugindefinition.json");
        Admission real = client().admit(review(object, PluginDefinition.class, "platform", false));
        Admission dryRun = client().admit(review(object, PluginDefinition.class, "platform", true));
        object.withObject("/metadata/annotations").put("oci-mirror.io/skip", "true");
        Admission skipped = client().admit(review(object, PluginDefinition.class, "platform", false));

        assertEquals(real.patch(), dryRun.patch());
        assertFalse(real.isEmpty());
        assertTrue(skipped.isEmpty(), () -> "skip annotation ignored: " + skipped.patch());
    }

    @Test
    void answersAWarningForAnInvalidRepository() {
        ObjectNode object = load("plugindefinition.json");
        object.withObject("/spec/helmChart").put("repository", "oci://ghcr.io/Upper/Case");

        Admission admission = client().admit(review(object, PluginDefinition.class, "platform", false));

        JsonNode mutated = admission.applyTo(object);
        assertEquals("oci://ghcr.io/Upper/Case", mutated.at("/spec/helmChart/repository").asText());
        assertEquals("{\"helmChart\":\"cannot-mirror:invalid-reference\"}",
                mutated.at("/metadata/annotations").path(Decisions.ANNOTATION).asText());
        assertEquals(1, admission.warnings().size(), admission.warnings()::toString);
        assertTrue(admission.warnings().get(0).startsWith("spec.helmChart.repository \"oci://ghcr.io/Upper/Case\""),
                admission.warnings().get(0));
    }

    private JsonNode admitAndApply(ObjectNode object, Class<? extends HasMetadata> type, String namespace) {
        JsonNode mutated = client().admit(review(object, type, namespace, false)).applyTo(object);
        Admission again = client().admit(review((ObjectNode) mutated, type, namespace, false));
        assertTrue(again.isEmpty(), () -> "second pass must not change anything, got " + again.patch());
        return mutated;
    }

    /** A review whose resource is the plural the CRD declares for the type. */
    private ObjectNode review(ObjectNode object, Class<? extends HasMetadata> type, String namespace, boolean dryRun) {
        CustomResourceDefinition crd = crdOf(type);
        assertEquals(HasMetadata.getGroup(type), crd.getSpec().getGroup());
        return client().review(crd.getSpec().getGroup(), HasMetadata.getVersion(type), crd.getSpec().getNames().getPlural(),
                null, "CREATE", namespace, object, null, dryRun);
    }

    private CustomResourceDefinition crdOf(Class<? extends HasMetadata> type) {
        try (InputStream in = getClass().getResourceAsStream("/greenhouse/crds.yaml")) {
            List<CustomResourceDefinition> crds = new YAMLMapper().readerFor(CustomResourceDefinition.class)
                    .<CustomResourceDefinition>readValues(in).readAll();
            return crds.stream()
                    .filter(crd -> crd.getSpec().getNames().getKind().equals(HasMetadata.getKind(type)))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no CRD for " + type.getSimpleName()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private <T> T typed(JsonNode json, Class<T> type) {
        try {
            return strict.treeToValue(json, type);
        } catch (IOException e) {
            throw new AssertionError("patched object is not a valid " + type.getSimpleName() + ": " + json, e);
        }
    }

    private ObjectNode load(String name) {
        try (InputStream in = getClass().getResourceAsStream("/greenhouse/" + name)) {
            return (ObjectNode) strict.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private WebhookClient client() {
        return new WebhookClient(url);
    }
}

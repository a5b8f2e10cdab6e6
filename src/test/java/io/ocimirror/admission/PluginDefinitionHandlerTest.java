package io.ocimirror.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.flipkart.zjsonpatch.JsonPatch;
import io.ocimirror.config.ConfigurationOwner;
import io.ocimirror.config.MirrorConfiguration;
import io.ocimirror.config.OwnedConfiguration;
import io.ocimirror.rewrite.ReplicationRequest.ArtifactKind;
import io.ocimirror.rewrite.ReplicationRequest;
import io.ocimirror.rewrite.RewriteGate;
import io.ocimirror.testing.Configurations;
import io.ocimirror.testing.greenhouse.PluginDefinition;
import java.io.IOException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The chart repository rule of {@link PluginDefinitionHandler}, with the API server's part played here: the patch is
 * applied with a real RFC 6902 implementation, the result read as a typed PluginDefinition, and handled again.
 */
class PluginDefinitionHandlerTest {

    private static final MirrorConfiguration CONFIG = Configurations.parse("""
            primaryMirror: registry-write.example.com
            registryMirrors:
              ghcr.io:
                baseDomain: mirror.example.com
                subPath: ghcr-mirror
              registry.local:5000:
                baseDomain: cache.local:5001
                replicationHost: cache-write.local:5001
              charts.example.org:
                baseDomain: mirror.example.com
                subPath: charts-mirror
              harbor.example.com:
                baseDomain: mirror.example.com
                subPath: harbor-mirror
            """);
    private static final OwnedConfiguration OWNED = new OwnedConfiguration(ConfigurationOwner.WEBHOOK, CONFIG);

    private final ObjectMapper strict = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    private final PluginDefinitionHandler handler = new PluginDefinitionHandler(new Rewriter(RewriteGate.ALWAYS), new ObjectMapper());

    static Stream<Arguments> charts() {
        return Stream.of(
                // name, repository, version, repository afterwards, replicated reference ("" for none),
                // part of the warning ("" for none)
                Arguments.of("with a path", "oci://ghcr.io/org/charts", "6.5.0",
                        "oci://mirror.example.com/ghcr-mirror/org/charts",
                        "registry-write.example.com/ghcr-mirror/org/charts/podinfo:6.5.0", ""),
                Arguments.of("registry with a port", "oci://registry.local:5000/charts", "6.5.0",
                        "oci://cache.local:5001/charts", "cache-write.local:5001/charts/podinfo:6.5.0", ""),
                Arguments.of("no path", "oci://charts.example.org", "6.5.0",
                        "oci://mirror.example.com/charts-mirror",
                        "registry-write.example.com/charts-mirror/podinfo:6.5.0", ""),
                Arguments.of("no path, mirror at its root", "oci://registry.local:5000", "6.5.0",
                        "oci://cache.local:5001", "cache-write.local:5001/podinfo:6.5.0", ""),
                Arguments.of("trailing slashes", "oci://ghcr.io/org/charts//", "6.5.0",
                        "oci://mirror.example.com/ghcr-mirror/org/charts",
                        "registry-write.example.com/ghcr-mirror/org/charts/podinfo:6.5.0", ""),
                Arguments.of("build metadata in the version", "oci://ghcr.io/org/charts", "1.0.0+build.7",
                        "oci://mirror.example.com/ghcr-mirror/org/charts",
                        "registry-write.example.com/ghcr-mirror/org/charts/podinfo:1.0.0_build.7", ""),
                Arguments.of("no version", "oci://ghcr.io/org/charts", null,
                        "oci://mirror.example.com/ghcr-mirror/org/charts", "", "not replicated"),
                Arguments.of("a version Helm reads as a range (public report 28)", "oci://ghcr.io/stefanprodan/charts",
                        "6.5.x", "oci://mirror.example.com/ghcr-mirror/stefanprodan/charts",
                        "registry-write.example.com/ghcr-mirror/stefanprodan/charts/podinfo:6.5.x", ""),
                Arguments.of("a registry host in upper case", "oci://GHCR.io/org/charts", "6.5.0",
                        "oci://mirror.example.com/ghcr-mirror/org/charts",
                        "registry-write.example.com/ghcr-mirror/org/charts/podinfo:6.5.0", ""),
                Arguments.of("a version range", "oci://ghcr.io/org/charts", ">=1.0",
                        "oci://mirror.example.com/ghcr-mirror/org/charts", "", "not replicated"),
                Arguments.of("invalid repository", "oci://ghcr.io/Org/Charts", "6.5.0",
                        "oci://ghcr.io/Org/Charts", "", "is not a valid reference"),
                Arguments.of("empty OCI repository", "oci://", "6.5.0", "oci://", "", "is not a valid reference"),
                Arguments.of("a host of thousands of components", "oci://" + "a.".repeat(3000) + "io/charts", "6.5.0",
                        "oci://" + "a.".repeat(3000) + "io/charts", "", "is not a valid reference"),
                Arguments.of("classic HTTP repository", "https://charts.example.org/stable", "6.5.0",
                        "https://charts.example.org/stable", "", ""),
                Arguments.of("registry without a mirror", "oci://other.example.com/charts", "6.5.0",
                        "oci://other.example.com/charts", "", ""),
                Arguments.of("already on the mirror", "oci://mirror.example.com/ghcr-mirror/org/charts", "6.5.0",
                        "oci://mirror.example.com/ghcr-mirror/org/charts",
                        "registry-write.example.com/ghcr-mirror/org/charts/podinfo:6.5.0", ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("charts")
    void mirrorsOciChartRepositories(String name, String repository, String version, String expectedRepository,
            String expectedReplication, String expectedWarning) {
        ObjectNode object = pluginDefinition(repository, version);

        AdmissionOutcome outcome = handler.handle(request("CREATE", object, null), OWNED);
        JsonNode mutated = JsonPatch.apply(outcome.patch().operations(), object);
        PluginDefinition typed = typed(mutated);

        assertEquals(expectedRepository, typed.getSpec().getHelmChart().getRepository());
        assertEquals(version, typed.getSpec().getHelmChart().getVersion(), "the version stays as written");
        assertEquals(expectedReplication.isEmpty() ? List.of() : List.of(expectedReplication), replicated(outcome));
        assertTrue(outcome.replications().stream().allMatch(r -> r.kind() == ArtifactKind.HELM_CHART),
                "replication reads the version as Helm does");
        if (expectedWarning.isEmpty()) {
            assertEquals(List.of(), outcome.warnings());
        } else {
            assertTrue(outcome.warnings().stream().anyMatch(w -> w.contains(expectedWarning)), outcome.warnings()::toString);
        }
        if (!expectedRepository.equals(repository)) {
            assertEquals(repository, typed.getMetadata().getAnnotations()
                    .get(PluginDefinitionHandler.ORIGINAL_REPOSITORY_ANNOTATION));
        }
        AdmissionOutcome again = handler.handle(request("CREATE", (ObjectNode) mutated, null), OWNED);
        assertTrue(again.patch().isEmpty(), () -> "second pass must not change anything: " + again.patch().operations());
    }

    static Stream<Arguments> chartNames() {
        return Stream.of(
                // chart name, repository, repository afterwards
                Arguments.of("go-test-new", "oci://harbor.example.com/devops",
                        "oci://mirror.example.com/harbor-mirror/devops"),
                Arguments.of("go-oci-test/go-test-new", "oci://harbor.example.com/devops",
                        "oci://mirror.example.com/harbor-mirror/devops"),
                Arguments.of("team/sub/app", "oci://harbor.example.com/devops/charts",
                        "oci://mirror.example.com/harbor-mirror/devops/charts"),
                Arguments.of("team/app", "oci://harbor.example.com", "oci://mirror.example.com/harbor-mirror"),
                Arguments.of("team/app", "oci://registry.local:5000", "oci://cache.local:5001"));
    }

    /** Helm and Flux pull {@code repository + "/" + name}: that must be the chart replication warmed. */
    @ParameterizedTest(name = "{0} in {1}")
    @MethodSource("chartNames")
    void keepsEveryPathComponentWhateverTheChartNameHolds(String chartName, String repository, String expected) {
        ObjectNode object = pluginDefinition(repository, "1.5.0");
        object.withObject("/spec/helmChart").put("name", chartName);

        AdmissionOutcome outcome = handler.handle(request("CREATE", object, null), OWNED);
        PluginDefinition typed = typed(JsonPatch.apply(outcome.patch().operations(), object));

        assertEquals(expected, typed.getSpec().getHelmChart().getRepository());
        assertEquals(chartName, typed.getSpec().getHelmChart().getName());
        String pulled = expected.substring("oci://".length()) + "/" + chartName + ":1.5.0";
        String replicated = outcome.replications().get(0).reference().toString();
        assertEquals(pulled.substring(pulled.indexOf('/')), replicated.substring(replicated.indexOf('/')),
                "the replicated path is the one pulled");
    }

    @Test
    void dropsARecordedOriginalThatDoesNotDescribeTheRepository() {
        ObjectNode object = pluginDefinition("oci://other.example.com/charts", "6.5.0");
        object.withObject("/metadata/annotations")
                .put(PluginDefinitionHandler.ORIGINAL_REPOSITORY_ANNOTATION, "oci://ghcr.io/org/charts");

        AdmissionOutcome outcome = handler.handle(request("CREATE", object, null), OWNED);
        PluginDefinition typed = typed(JsonPatch.apply(outcome.patch().operations(), object));

        assertEquals(null, typed.getMetadata().getAnnotations().get(PluginDefinitionHandler.ORIGINAL_REPOSITORY_ANNOTATION));
        assertEquals("oci://other.example.com/charts", typed.getSpec().getHelmChart().getRepository());
    }

    @Test
    void replicatesTheNewVersionWhenAnUpdateChangesOnlyTheVersion() {
        ObjectNode old = pluginDefinition("oci://mirror.example.com/ghcr-mirror/org/charts", "6.5.0");
        old.withObject("/metadata/annotations")
                .put(PluginDefinitionHandler.ORIGINAL_REPOSITORY_ANNOTATION, "oci://ghcr.io/org/charts");
        ObjectNode updated = old.deepCopy();
        updated.withObject("/spec/helmChart").put("version", "6.6.0");

        AdmissionOutcome outcome = handler.handle(request("UPDATE", updated, old), OWNED);

        assertTrue(outcome.patch().isEmpty(), () -> "no rewrite expected: " + outcome.patch().operations());
        assertEquals(List.of("registry-write.example.com/ghcr-mirror/org/charts/podinfo:6.6.0"), replicated(outcome));
        ReplicationRequest.ObjectOrigin origin = outcome.replications().get(0).origin().orElseThrow();
        assertEquals(new ReplicationRequest.ObjectOrigin("greenhouse.sap/v1alpha1", "PluginDefinition", "platform",
                "podinfo"), origin);
    }

    @Test
    void addsTheAnnotationsObjectWhenTheObjectHasNone() {
        ObjectNode object = pluginDefinition("oci://ghcr.io/org/charts", "6.5.0");
        ((ObjectNode) object.path("metadata")).remove("annotations");

        AdmissionOutcome outcome = handler.handle(request("CREATE", object, null), OWNED);
        PluginDefinition typed = typed(JsonPatch.apply(outcome.patch().operations(), object));

        assertEquals("oci://ghcr.io/org/charts",
                typed.getMetadata().getAnnotations().get(PluginDefinitionHandler.ORIGINAL_REPOSITORY_ANNOTATION));
    }

    @Test
    void handlesBothKindsOnCreateAndUpdateOnly() {
        ObjectNode object = pluginDefinition("oci://ghcr.io/org/charts", "6.5.0");
        for (String resource : List.of("plugindefinitions", "clusterplugindefinitions")) {
            for (String operation : List.of("CREATE", "UPDATE")) {
                assertTrue(handler.handles(request(resource, "", operation, object)), resource + " " + operation);
            }
            assertFalse(handler.handles(request(resource, "", "DELETE", object)), resource + " DELETE");
            assertFalse(handler.handles(request(resource, "status", "UPDATE", object)), resource + "/status");
        }
    }

    private static List<String> replicated(AdmissionOutcome outcome) {
        return outcome.replications().stream().map(r -> r.reference().toString()).toList();
    }

    private static AdmissionRequest request(String operation, ObjectNode object, ObjectNode old) {
        return new AdmissionRequest("uid-1", "greenhouse.sap", "plugindefinitions", "", operation, "platform", false,
                object, old == null ? MissingNode.getInstance() : old);
    }

    private static AdmissionRequest request(String resource, String subResource, String operation, ObjectNode object) {
        return new AdmissionRequest("uid-1", "greenhouse.sap", resource, subResource, operation, "platform", false,
                object, MissingNode.getInstance());
    }

    private ObjectNode pluginDefinition(String repository, String version) {
        ObjectNode object = strict.createObjectNode()
                .put("apiVersion", "greenhouse.sap/v1alpha1")
                .put("kind", "PluginDefinition");
        object.putObject("metadata").put("name", "podinfo").put("namespace", "platform")
                .putObject("annotations").put("greenhouse.sap/owned-by", "platform");
        ObjectNode helmChart = object.putObject("spec").putObject("helmChart")
                .put("name", "podinfo").put("repository", repository);
        if (version != null) {
            helmChart.put("version", version);
        }
        return object;
    }

    private PluginDefinition typed(JsonNode json) {
        try {
            return strict.treeToValue(json, PluginDefinition.class);
        } catch (IOException e) {
            throw new AssertionError("patched object is not a valid PluginDefinition: " + json, e);
        }
    }
}

package io.ocimirror.deploy;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.ocimirror.config.MirrorConfiguration;
import io.ocimirror.config.MirrorConfigurationParser;
import io.ocimirror.testing.greenhouse.PluginDefinition;
import io.ocimirror.testing.greenhouse.PluginOption;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * deploy/greenhouse/plugindefinition.yaml: a Greenhouse PluginDefinition of the project's chart whose options are
 * the organisation's containerRegistryConfig keys, so that a Plugin set from an organisation's ConfigMap configures
 * the remote cluster's webhook as that ConfigMap configures the central one.
 */
class GreenhousePluginDefinitionTest {

    /** Each key of an organisation's containerRegistryConfig and the option (a chart value path) that carries it. */
    private static final Map<String, String> OPTION_OF_KEY = Map.of(
            "primaryMirror", "mirrorConfig.primaryMirror",
            "registryMirrors", "mirrorConfig.registryMirrors",
            "secretName", "credentials.existingSecret");
    /** The option types Greenhouse knows (PluginOption.Type in cloudoperators/greenhouse). */
    private static final Set<String> GREENHOUSE_TYPES = Set.of("string", "bool", "int", "list", "map", "secret");

    private static PluginDefinition definition;

    @BeforeAll
    static void read() throws IOException {
        definition = new ObjectMapper(new YAMLFactory()).enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .readValue(Project.read(Path.of("deploy", "greenhouse", "plugindefinition.yaml")), PluginDefinition.class);
    }

    @Test
    void isAPluginDefinitionOfTheProjectsChart() {
        assertAll(
                () -> assertEquals("greenhouse.sap/v1alpha1", definition.getApiVersion()),
                () -> assertEquals("PluginDefinition", definition.getKind()),
                () -> assertEquals(Project.version(), definition.getSpec().getVersion()),
                () -> assertEquals("oci-mirror-webhook", definition.getSpec().getHelmChart().getName()),
                () -> assertTrue(definition.getSpec().getHelmChart().getRepository().startsWith("oci://")),
                () -> assertEquals(Project.version(), definition.getSpec().getHelmChart().getVersion()));
    }

    @Test
    void hasOneOptionPerOrganisationKey() {
        Map<String, PluginOption> options = options();
        assertAll(
                () -> assertEquals(Set.copyOf(OPTION_OF_KEY.values()), options.keySet()),
                () -> assertTrue(options.values().stream().allMatch(o -> GREENHOUSE_TYPES.contains(o.getType())),
                        "types Greenhouse knows"),
                () -> assertEquals("map", options.get("mirrorConfig.registryMirrors").getType()),
                () -> assertTrue(options.get("mirrorConfig.registryMirrors").isRequired(), "registryMirrors required"),
                () -> assertTrue(options.values().stream().allMatch(o -> !o.getDescription().isBlank()), "described"));
    }

    static Stream<Arguments> organisations() {
        return Stream.of(
                // case, an organisation's containerRegistryConfig
                Arguments.of("Greenhouse's example", """
                        primaryMirror: registry-write.example.com
                        secretName: registry-mirror-creds
                        registryMirrors:
                          docker.io: {baseDomain: mirror.example.com, subPath: dockerhub-mirror}
                          ghcr.io: {baseDomain: mirror.example.com, subPath: ghcr-mirror}
                        """),
                Arguments.of("mirrors only", """
                        registryMirrors:
                          quay.io: {baseDomain: quay-mirror.example.com, subPath: quay}
                        """),
                Arguments.of("no mirrors", "registryMirrors: {}\nsecretName: creds\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("organisations")
    void theChartRenderedWithTheOptionsConfiguresAsTheOrganisationsConfigMap(String name, String organisation)
            throws Exception {
        Map<String, Object> keys = new ObjectMapper(new YAMLFactory()).readValue(organisation, Map.class);
        Map<String, Object> values = new LinkedHashMap<>();
        keys.forEach((key, value) -> set(values, OPTION_OF_KEY.get(key), value));

        MirrorConfiguration chart = new MirrorConfigurationParser().parse(HelmChart.render(values)
                .one(ConfigMap.class).getData().get("containerRegistryConfig"));
        MirrorConfiguration central = new MirrorConfigurationParser().parseIgnoringUnknownKeys(organisation)
                .configuration();

        assertAll(
                () -> assertEquals(central.mirrors(), chart.mirrors()),
                () -> assertEquals(central.secretName(), chart.secretName()),
                () -> assertEquals(central.replication(), chart.replication()));
    }

    private static Map<String, PluginOption> options() {
        return definition.getSpec().getOptions().stream()
                .collect(Collectors.toMap(PluginOption::getName, option -> option));
    }

    /** Sets a value at a dotted path, as Greenhouse sets a Plugin's option values into the chart's values. */
    @SuppressWarnings("unchecked")
    private static void set(Map<String, Object> values, String path, Object value) {
        String[] parts = path.split("\\.");
        Map<String, Object> node = values;
        for (int i = 0; i < parts.length - 1; i++) {
            node = (Map<String, Object>) node.computeIfAbsent(parts[i], part -> new LinkedHashMap<String, Object>());
        }
        node.put(parts[parts.length - 1], value);
    }
}

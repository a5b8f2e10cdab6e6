package io.ocimirror.deploy;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.ocimirror.config.ConfigurationException;
import io.ocimirror.config.MirrorConfigurationParser;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * deploy/mirror-config.schema.json, the published JSON Schema of the mirror configuration: it names exactly the keys
 * the parser accepts, agrees with the parser on structural mistakes, accepts every shipped configuration, and the
 * chart checks {@code mirrorConfig} with a copy of it.
 */
class MirrorConfigSchemaTest {

    static final Path SCHEMA = Path.of("deploy", "mirror-config.schema.json");
    private static final Path VALUES_SCHEMA = HelmChart.CHART.resolve("values.schema.json");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void schemaNamesExactlyTheKeysTheParserAccepts() throws IOException {
        JsonNode schema = JSON.readTree(SCHEMA.toFile());
        JsonNode properties = schema.path("properties");
        JsonNode mirror = properties.path("registryMirrors").path("additionalProperties").path("properties");
        Map<String, Set<String>> inSchema = new TreeMap<>(Map.of(
                "", names(properties),
                "registryMirrors.*", names(mirror),
                "registryMirrors.*.replication", names(mirror.path("replication").path("properties")),
                "exclude", names(properties.path("exclude").path("properties")),
                "replication", names(properties.path("replication").path("properties"))));
        Map<String, Set<String>> inParser = new TreeMap<>();
        MirrorConfigurationParser.acceptedKeys().forEach((where, keys) -> inParser.put(where, new TreeSet<>(keys)));
        assertEquals(inParser, inSchema);
    }

    static Stream<Arguments> configurations() {
        return Stream.of(
                Arguments.of("no mirrors", "registryMirrors: {}\n", true),
                Arguments.of("registryMirrors without a value", "registryMirrors:\n", true),
                Arguments.of("every key", """
                        primaryMirror: mirror.example.com
                        secretName: mirror-credentials
                        registryMirrors:
                          docker.io:
                            baseDomain: mirror.example.com
                            subPath: dockerhub-mirror
                            replicationHost: replication.example.com
                            insecure: false
                            rewritePolicy: replicated
                            stopBlobReadsEarly: true
                            replication: {referrers: false}
                        exclude: {images: ["*/debug/*"], namespaces: [sandbox], ownerApiGroups: [postgresql.cnpg.io]}
                        replication: {mode: manifest, platforms: [linux/amd64, linux/arm64/v8], referrers: true}
                        """, true),
                Arguments.of("empty sections", "registryMirrors: {}\nexclude: {}\nreplication: {}\n", true),
                Arguments.of("exclude without a value", "registryMirrors: {}\nexclude:\n", false),
                Arguments.of("missing registryMirrors", "primaryMirror: mirror.example.com\n", false),
                Arguments.of("misspelt top-level key", "registryMirors: {}\n", false),
                Arguments.of("misspelt mirror key",
                        "registryMirrors: {docker.io: {basedomain: mirror.example.com}}\n", false),
                Arguments.of("mirror without baseDomain",
                        "registryMirrors: {docker.io: {subPath: dockerhub-mirror}}\n", false),
                Arguments.of("insecure as a string",
                        "registryMirrors: {docker.io: {baseDomain: mirror.example.com, insecure: \"yes\"}}\n", false),
                Arguments.of("unknown rewritePolicy",
                        "registryMirrors: {docker.io: {baseDomain: mirror.example.com, rewritePolicy: never}}\n",
                        false),
                Arguments.of("mirror as a string", "registryMirrors: {docker.io: mirror.example.com}\n", false),
                Arguments.of("misspelt exclude key", "registryMirrors: {}\nexclude: {image: [x]}\n", false),
                Arguments.of("exclude images as a string", "registryMirrors: {}\nexclude: {images: x}\n", false),
                Arguments.of("unknown replication mode", "registryMirrors: {}\nreplication: {mode: some}\n", false),
                Arguments.of("referrers as a string", "registryMirrors: {}\nreplication: {referrers: \"yes\"}\n",
                        false),
                Arguments.of("mirror referrers as a string", "registryMirrors: {docker.io: {baseDomain: mirror.example.com,"
                        + " replication: {referrers: \"yes\"}}}\n", false),
                Arguments.of("mode per mirror", "registryMirrors: {docker.io: {baseDomain: mirror.example.com,"
                        + " replication: {mode: manifest}}}\n", false),
                Arguments.of("secretName not a Kubernetes name", "registryMirrors: {}\nsecretName: Not_A_Name\n",
                        false),
                Arguments.of("configuration as a list", "- registryMirrors: {}\n", false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configurations")
    void schemaAndParserAgree(String name, String yaml, boolean valid) throws IOException {
        Set<ValidationMessage> schemaErrors = schema(SCHEMA).validate(YAML.readTree(yaml));
        String parserError = parserError(yaml);
        assertAll(
                () -> assertEquals(valid, schemaErrors.isEmpty(), "schema: " + schemaErrors),
                () -> assertEquals(valid, parserError.isEmpty(), "parser: " + parserError));
    }

    static Stream<Arguments> shippedConfigurations() {
        return Stream.of(Path.of("examples", "mirror-config.yaml"), Project.BASE.resolve("mirror-config.yaml"))
                .map(file -> Arguments.of(file.toString(), file));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shippedConfigurations")
    void shippedConfigurationsAreValidForBoth(String name, Path file) throws IOException {
        String yaml = Project.read(file);
        assertAll(
                () -> assertEquals(Set.of(), schema(SCHEMA).validate(YAML.readTree(yaml)), "schema"),
                () -> assertEquals("", parserError(yaml), "parser"));
    }

    @Test
    void chartChecksMirrorConfigWithACopyOfThePublishedSchema() throws IOException {
        ObjectNode published = (ObjectNode) JSON.readTree(SCHEMA.toFile());
        ObjectNode inChart = (ObjectNode) JSON.readTree(VALUES_SCHEMA.toFile()).path("properties").path("mirrorConfig")
                .deepCopy();
        // The chart adds registryMirrors when it is missing; titles and descriptions say where the copy is from.
        for (String annotation : new String[] {"$schema", "required", "title", "description"}) {
            published.remove(annotation);
            inChart.remove(annotation);
        }
        assertEquals(published, inChart);
    }

    static JsonSchema schema(Path file) throws IOException {
        return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(JSON.readTree(file.toFile()));
    }

    private static String parserError(String yaml) {
        try {
            new MirrorConfigurationParser().parse(yaml);
            return "";
        } catch (ConfigurationException e) {
            return e.getMessage();
        }
    }

    private static Set<String> names(JsonNode node) {
        Set<String> names = new TreeSet<>();
        for (Iterator<String> fields = node.fieldNames(); fields.hasNext(); ) {
            names.add(fields.next());
        }
        return names;
    }
}

package io.ocimirror.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code explain}: the decision, mirrored reference, platforms and rule per reference, and the exit status. */
class ExplainCommandTest {

    private static final String CONFIG = "examples/mirror-config.yaml";

    @TempDir
    Path directory;

    static Stream<Arguments> explanations() {
        return Stream.of(
                // case, arguments after explain (OBJECT: the object file), object file content ("" for none),
                // exit status, JSON of the first explanation ("" when none is printed)
                Arguments.of("rewritten", List.of("--config", CONFIG, "--output", "json", "nginx:1.25"), "", 0,
                        "{\"key\":\"image-0\",\"reference\":\"nginx:1.25\",\"decision\":\"rewritten\","
                                + "\"mirrored\":\"mirror.example.com/dockerhub-mirror/library/nginx:1.25\","
                                + "\"replication\":\"registry-write.example.com/dockerhub-mirror/library/nginx:1.25\","
                                + "\"platforms\":[\"linux/amd64\"],\"rule\":\"registryMirrors.docker.io\"}"),
                Arguments.of("no mirror", List.of("--config", CONFIG, "--output", "json", "example.org/app:1"), "", 4,
                        "{\"key\":\"image-0\",\"reference\":\"example.org/app:1\","
                                + "\"decision\":\"unchanged:no-mirror\"}"),
                Arguments.of("excluded", List.of("--config", CONFIG, "--output", "json",
                        "ghcr.io/cloudnative-pg/postgresql:16"), "", 4,
                        "{\"key\":\"image-0\",\"reference\":\"ghcr.io/cloudnative-pg/postgresql:16\","
                                + "\"decision\":\"unchanged:excluded\",\"rule\":\"exclude.images\"}"),
                Arguments.of("cannot mirror wins", List.of("--config", CONFIG, "--output", "json", "nginx:1", "Bad/Ref"),
                        "", 5, "{\"key\":\"image-0\",\"reference\":\"nginx:1\",\"decision\":\"rewritten\","
                                + "\"mirrored\":\"mirror.example.com/dockerhub-mirror/library/nginx:1\","
                                + "\"replication\":\"registry-write.example.com/dockerhub-mirror/library/nginx:1\","
                                + "\"platforms\":[\"linux/amd64\"],\"rule\":\"registryMirrors.docker.io\"}"),
                Arguments.of("a Pod on arm64", List.of("--config", CONFIG, "--object", "OBJECT", "--output", "json"),
                        """
                        apiVersion: v1
                        kind: Pod
                        metadata: {name: p}
                        spec:
                          nodeSelector: {kubernetes.io/arch: arm64}
                          containers: [{name: web, image: "quay.io/org/app:2", imagePullPolicy: Never},
                                       {name: api, image: "quay.io/org/api:2"}]
                        """, 4,
                        "{\"key\":\"web\",\"reference\":\"quay.io/org/app:2\","
                                + "\"decision\":\"skipped:pull-policy-never\"}"),
                Arguments.of("a skipped object", List.of("--config", CONFIG, "--object", "OBJECT"),
                        """
                        {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p",
                          "annotations": {"oci-mirror.io/skip": "true"}},
                          "spec": {"containers": [{"name": "web", "image": "nginx"}]}}
                        """, 4, ""),
                Arguments.of("a plugin definition", List.of("--config", CONFIG, "--object", "OBJECT", "--output",
                        "json"), """
                        apiVersion: greenhouse.sap/v1alpha1
                        kind: PluginDefinition
                        metadata: {name: p, namespace: platform}
                        spec: {helmChart: {repository: "oci://ghcr.io/org/charts", name: app, version: 1.0.0}}
                        """, 0,
                        "{\"key\":\"helmChart\",\"reference\":\"oci://ghcr.io/org/charts\",\"decision\":\"rewritten\","
                                + "\"mirrored\":\"mirror.example.com/ghcr-mirror/org/charts/app:1.0.0\","
                                + "\"replication\":\"registry-write.example.com/ghcr-mirror/org/charts/app:1.0.0\","
                                + "\"platforms\":[\"linux/amd64\"],\"rule\":\"registryMirrors.ghcr.io\"}"),
                Arguments.of("a kind the webhook skips", List.of("--config", CONFIG, "--object", "OBJECT"),
                        "kind: Deployment\n", 1, ""),
                Arguments.of("no image", List.of("--config", CONFIG), "", 2, ""),
                Arguments.of("unknown option", List.of("--config", CONFIG, "--verbose", "nginx"), "", 2, ""),
                Arguments.of("missing configuration", List.of("--config", "missing.yaml", "nginx"), "", 1, ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("explanations")
    void explainsEachReferenceAndExitsWithTheWorstDecision(String name, List<String> arguments, String object,
            int status, String first) throws IOException {
        List<String> args = new ArrayList<>(arguments);
        if (!object.isEmpty()) {
            Path file = Files.writeString(directory.resolve("object.yaml"), object);
            args.replaceAll(argument -> argument.equals("OBJECT") ? file.toString() : argument);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int exit = new ExplainCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).run(args);

        String printed = out.toString(StandardCharsets.UTF_8);
        assertEquals(status, exit, () -> printed + err.toString(StandardCharsets.UTF_8));
        if (!first.isEmpty()) {
            JsonNode explanations = new ObjectMapper().readTree(printed);
            assertEquals(new ObjectMapper().readTree(first), explanations.get(0));
        }
        if (status == 2) {
            assertTrue(err.toString(StandardCharsets.UTF_8).contains(ExplainCommand.USAGE_LINE));
        }
    }
}

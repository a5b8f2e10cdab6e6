package io.ocimirror.web;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code java -jar quarkus-run.jar explain --config FILE IMAGE --output json} on the packaged application, as an admin
 * runs it: the exit status and the JSON a script reads, with no cluster, no TLS files and no ports.
 */
class ExplainCommandIT {

    private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");
    private static final String CONFIG = "examples/mirror-config.yaml";

    @TempDir
    Path directory;

    static Stream<Arguments> images() {
        return Stream.of(
                // case, image, exit status, decision, mirrored reference ("" when none)
                Arguments.of("rewritten", "nginx:1.25", 0, "rewritten",
                        "mirror.example.com/dockerhub-mirror/library/nginx:1.25"),
                Arguments.of("unchanged", "example.org/app:1", 4, "unchanged:no-mirror", ""),
                Arguments.of("invalid", "Bad/Ref", 5, "cannot-mirror:invalid-reference", ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("images")
    void exitsWithTheDecisionsStatusAndPrintsItAsJson(String name, String image, int status, String decision,
            String mirrored) throws Exception {
        Result result = explain(List.of("--config", CONFIG, "--output", "json", image));
        JsonNode explanations = new ObjectMapper().readTree(result.output());
        assertAll(
                () -> assertEquals(status, result.status(), result.output()),
                () -> assertEquals(1, explanations.size(), result.output()),
                () -> assertEquals("image-0", explanations.path(0).path("key").asText()),
                () -> assertEquals(image, explanations.path(0).path("reference").asText()),
                () -> assertEquals(decision, explanations.path(0).path("decision").asText()),
                () -> assertEquals(mirrored, explanations.path(0).path("mirrored").asText()));
    }

    private Result explain(List<String> arguments) throws Exception {
        assertTrue(Files.exists(JAR), JAR + " is missing: run ./mvnw verify, which packages before this test");
        Path output = directory.resolve("output.json");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m",
                "-jar", JAR.toString(), ExplainCommand.COMMAND));
        command.addAll(arguments);
        // Standard output alone: it is the JSON a script parses; errors go to standard error.
        Process process = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .redirectOutput(output.toFile())
                .start();
        try {
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "explain finishes");
            return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        } finally {
            process.destroyForcibly();
        }
    }

    private record Result(int status, String output) {
    }
}

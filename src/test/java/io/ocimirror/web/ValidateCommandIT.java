package io.ocimirror.web;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code java -jar quarkus-run.jar validate FILE} on the packaged application, as an admin runs it before applying a
 * ConfigMap: no TLS files (the default paths do not exist here), no cluster, no ports.
 */
class ValidateCommandIT {

    private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");

    @TempDir
    Path directory;

    @Test
    void exitsZeroForAValidConfiguration() throws Exception {
        Result result = validate(Path.of("examples", "mirror-config.yaml"));
        assertAll(
                () -> assertEquals(0, result.status(), result.output()),
                () -> assertTrue(result.output().contains("valid: 4 mirrors"), result.output()));
    }

    @Test
    void exitsOneNamingTheKeyForAnInvalidConfiguration() throws Exception {
        Path file = directory.resolve("config.yaml");
        Files.writeString(file, "registryMirrors:\n  docker.io:\n    baseDomain: 'https://mirror.example.com'\n");
        Result result = validate(file);
        assertAll(
                () -> assertEquals(1, result.status(), result.output()),
                () -> assertTrue(result.output().contains("registryMirrors.docker.io.baseDomain"), result.output()),
                () -> assertTrue(!result.output().contains("Exception"), "no stack trace: " + result.output()));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"--help", "-h"})
    void helpPrintsTheUsageWithoutStartingTheServer(String flag) throws Exception {
        Result result = run(flag);
        assertAll(
                () -> assertEquals(0, result.status(), result.output()),
                () -> assertTrue(result.output().startsWith("usage: java -jar quarkus-run.jar [COMMAND]"), result.output()),
                () -> assertTrue(!result.output().contains("Exception"), "no stack trace: " + result.output()));
    }

    private Result validate(Path file) throws Exception {
        return run("validate", file.toString());
    }

    private Result run(String... arguments) throws Exception {
        assertTrue(Files.exists(JAR), JAR + " is missing: run ./mvnw verify, which packages before this test");
        Path output = directory.resolve("output.txt");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m", "-jar", JAR.toString()));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        try {
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "validate finishes");
            return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        } finally {
            process.destroyForcibly();
        }
    }

    private record Result(int status, String output) {
    }
}

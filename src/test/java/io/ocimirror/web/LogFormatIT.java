package io.ocimirror.web;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ocimirror.testing.Await;
import io.ocimirror.testing.TestCertificates;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged application's log lines: plain text by default, one JSON object per line with
 * {@code QUARKUS_LOG_CONSOLE_JSON=true}, and durations written as {@code 30s} rather than {@code PT30S}.
 */
class LogFormatIT {

    private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");
    private static final String STARTED_LINE = "for a rotated certificate every 30s";

    @TempDir
    Path directory;

    @Test
    void writesPlainLinesByDefault() throws Exception {
        List<String> lines = run(Map.of());
        assertAll(
                () -> assertTrue(lines.stream().anyMatch(l -> l.contains(STARTED_LINE)), "log:\n" + lines),
                () -> assertFalse(lines.stream().anyMatch(l -> l.startsWith("{")), "no JSON:\n" + lines));
    }

    @Test
    void writesJsonLinesWhenAsked() throws Exception {
        List<String> lines = run(Map.of("QUARKUS_LOG_CONSOLE_JSON", "true"));
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> records = new ArrayList<>();
        for (String line : lines) {
            records.add(json.readTree(line));
        }
        JsonNode started = records.stream().filter(r -> r.path("message").asText().contains(STARTED_LINE))
                .findFirst().orElseThrow(() -> new AssertionError("no started line in:\n" + lines));
        assertAll(
                () -> assertEquals("INFO", started.path("level").asText()),
                () -> assertEquals(CertificateReloader.class.getName(), started.path("loggerName").asText()),
                () -> assertTrue(started.hasNonNull("timestamp"), started.toString()));
    }

    /** Starts the jar, waits for the certificate reloader's start line, stops it; the output's non-blank lines. */
    private List<String> run(Map<String, String> environment) throws Exception {
        assertTrue(Files.exists(JAR), JAR + " is missing: run ./mvnw verify, which packages before this test");
        TestCertificates.generate();
        Path config = directory.resolve("mirror-config.yaml");
        Files.writeString(config, "registryMirrors: {}\n");
        Path log = directory.resolve("webhook-" + environment.size() + ".log");
        ProcessBuilder builder = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m",
                "-Dquarkus.http.ssl-port=" + freePort(),
                "-Dquarkus.management.port=" + freePort(),
                "-Dquarkus.shutdown.delay=0s",
                "-Doci-mirror.config-file=" + config,
                "-Doci-mirror.tls.cert-file=" + TestCertificates.SERVER_CERT.toAbsolutePath(),
                "-Doci-mirror.tls.key-file=" + TestCertificates.SERVER_KEY.toAbsolutePath(),
                "-jar", JAR.toString()))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        Process webhook = builder.start();
        try {
            Await.until(Duration.ofSeconds(60), () -> read(log).contains(STARTED_LINE), () -> "log:\n" + read(log));
            webhook.destroy();
            assertTrue(webhook.waitFor(60, TimeUnit.SECONDS), "the process exits");
            return read(log).lines().filter(l -> !l.isBlank()).toList();
        } finally {
            webhook.destroyForcibly();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static String read(Path log) {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }
}

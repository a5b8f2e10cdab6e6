package io.ocimirror.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ocimirror.testing.Await;
import io.ocimirror.testing.TestCertificates;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;

/**
 * The packaged application on SIGTERM, as the kubelet stops a pod: readiness turns DOWN at once while admissions are
 * still answered during the shutdown delay, then replication is drained for a bounded time and the process exits.
 */
class ShutdownIT {

    private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");
    private static final Duration LIMIT = Duration.ofSeconds(60);
    private static final Duration SHUTDOWN_DELAY = Duration.ofSeconds(8);

    @Test
    void turnsUnreadyKeepsAdmittingThenDrainsAndExits() throws Exception {
        assertTrue(Files.exists(JAR), JAR + " is missing: run ./mvnw verify, which packages before this test");
        TestCertificates.generate();
        try (ServerSocket blackHole = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Path directory = Files.createTempDirectory("oci-mirror-shutdown");
            Path config = directory.resolve("mirror-config.yaml");
            // A mirror that accepts and never answers: the replication job is still running at shutdown.
            Files.writeString(config, "registryMirrors:\n  docker.io: {baseDomain: \"127.0.0.1:"
                    + blackHole.getLocalPort() + "\", insecure: true}\n");
            int httpsPort = freePort();
            int managementPort = freePort();
            Path log = directory.resolve("webhook.log");
            Process webhook = new ProcessBuilder(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx128m",
                    "-Dquarkus.http.ssl-port=" + httpsPort,
                    "-Dquarkus.management.port=" + managementPort,
                    // Long enough that a loaded machine still sees readiness go down and admits within the delay.
                    "-Dquarkus.shutdown.delay=" + SHUTDOWN_DELAY.toSeconds() + "s",
                    "-Doci-mirror.config-file=" + config,
                    "-Doci-mirror.tls.cert-file=" + TestCertificates.SERVER_CERT.toAbsolutePath(),
                    "-Doci-mirror.tls.key-file=" + TestCertificates.SERVER_KEY.toAbsolutePath(),
                    "-Doci-mirror.replication.drain-timeout=2s",
                    "-jar", JAR.toString()))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            try {
                HttpClient client = HttpClient.newBuilder().sslContext(trustingTestCa())
                        .connectTimeout(Duration.ofSeconds(5)).build();
                URI ready = URI.create("http://127.0.0.1:" + managementPort + "/q/health/ready");
                URI mutate = URI.create("https://localhost:" + httpsPort + "/mutate");
                Await.until(LIMIT, () -> status(client, ready) == 200, () -> "readiness; log:\n" + read(log));
                assertEquals(200, admit(client, mutate), "admission before shutdown");

                webhook.destroy();

                Await.until(SHUTDOWN_DELAY.dividedBy(2), () -> status(client, ready) == 503,
                        () -> "readiness DOWN after SIGTERM; log:\n" + read(log));
                assertEquals(200, admit(client, mutate), "admissions are still answered during the shutdown delay");
                assertTrue(webhook.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS), "the process exits");
                String output = read(log);
                assertTrue(output.contains("Shutting down with 1 replication jobs unfinished"),
                        "bounded drain logged; log:\n" + output);
            } finally {
                webhook.destroyForcibly();
            }
        }
    }

    private static int admit(HttpClient client, URI mutate) {
        String review = """
                {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"shutdown-%d",
                 "operation":"CREATE","resource":{"group":"","version":"v1","resource":"pods"},
                 "object":{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},
                  "spec":{"containers":[{"name":"app","image":"team/app:1.0"}]}}}}
                """.formatted(System.nanoTime());
        try {
            return client.send(HttpRequest.newBuilder(mutate).header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(10))
                    .POST(HttpRequest.BodyPublishers.ofString(review)).build(), HttpResponse.BodyHandlers.ofString())
                    .statusCode();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The HTTP status, or 0 when nothing answers. */
    private static int status(HttpClient client, URI uri) {
        try {
            return client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    private static SSLContext trustingTestCa() throws Exception {
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(TestCertificates.trustStore());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
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

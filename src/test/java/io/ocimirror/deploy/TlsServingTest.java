package io.ocimirror.deploy;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The running webhook with a certificate from certs-scripts/webhook-certs.sh: clients that trust only the script's
 * CA connect over TLS 1.2 and 1.3, the Deployment's probes answer on the management port, and a rotated certificate
 * (and a rotated CA, with the transition bundle) is served without a restart. Rotation replaces the files the way
 * the kubelet updates a Secret volume; the reload period is 1 s here instead of 30 s. The tests run in any order:
 * each rotation ends with the new files published and served, so every test finds the script's files and the
 * served certificate in step.
 */
@QuarkusTest
@TestProfile(TlsServingTest.ScriptCertificatesProfile.class)
class TlsServingTest {

    /** Reload period 1 s: a new certificate must be served within a few periods. */
    private static final int ROTATION_ATTEMPTS = 40;
    private static final Duration ROTATION_PAUSE = Duration.ofMillis(250);

    public static class ScriptCertificatesProfile implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            // Random ports: other builds on the same machine may hold the fixed test ports.
            return Map.of(
                    "oci-mirror.tls.reload-interval", "1s",
                    "quarkus.http.test-port", "0",
                    "quarkus.http.test-ssl-port", "0",
                    "quarkus.management.test-port", "0");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(ScriptCertificates.class));
        }

        /** The other tests' certificate resource sets the same properties; this test serves only the script's. */
        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }
    }

    @TestHTTPResource(value = "/", tls = true)
    URL https;

    @TestHTTPResource(value = "/", management = true)
    URL management;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    void clientTrustingOnlyTheScriptsCaConnects(String protocol) throws Exception {
        try (TlsClient.Connection connection = trustingCurrentCa().connect(https.getPort(), protocol)) {
            assertAll(
                    () -> assertEquals(protocol, connection.protocol(), "negotiated protocol"),
                    () -> assertEquals(servingCertificate(), connection.peerCertificate(), "the script's certificate"),
                    // The webhook answers over this connection: an empty object is not an AdmissionReview.
                    () -> assertEquals("HTTP/1.1 400 Bad Request", connection.postToMutate()));
        }
    }

    @Test
    void clientTrustingAnotherCaIsRefused() throws Exception {
        Path other = ScriptCertificates.ROOT.resolve("other-ca");
        Tools.run(Tools.bash(Project.CERTS_SCRIPT, "generate", "--dir", other.toString()), Map.of()).stdoutOrFail();
        TlsClient stranger = new TlsClient(other.resolve("ca.crt"));
        SSLHandshakeException refused = assertThrows(SSLHandshakeException.class,
                () -> stranger.connect(https.getPort(), "TLSv1.3").close());
        assertTrue(TlsClient.isTrustFailure(refused), "refused for its certificate: " + refused);
    }

    static Stream<Arguments> probes() {
        Container container = Manifests.render(Project.BASE).one(Deployment.class).getSpec().getTemplate().getSpec()
                .getContainers().get(0);
        return Stream.of(
                Arguments.of("liveness", container.getLivenessProbe()),
                Arguments.of("readiness", container.getReadinessProbe()),
                Arguments.of("startup", container.getStartupProbe()));
    }

    /** The probe paths of the Deployment exist on the management interface and report UP once TLS is loaded. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("probes")
    void deploymentProbesAnswer(String name, Probe probe) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + management.getPort()
                + probe.getHttpGet().getPath())).timeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), name + ": " + response.body());
    }

    @Test
    void rotatedServingCertificateIsServedWithoutRestart() throws Exception {
        TlsClient client = trustingCurrentCa();
        try (TlsClient.Connection before = client.connect(https.getPort(), "TLSv1.3")) {
            assertEquals("HTTP/1.1 400 Bad Request", before.postToMutate());
            X509Certificate old = before.peerCertificate();

            ScriptCertificates.generate("--renew");
            X509Certificate renewed = servingCertificate();
            assertNotEquals(old.getSerialNumber(), renewed.getSerialNumber(), "the script issued a new certificate");
            ScriptCertificates.MOUNT.publish(ScriptCertificates.CERTS);

            List<X509Certificate> seen = awaitServed(renewed, client);
            assertEquals(renewed, seen.get(seen.size() - 1), "served after rotation; seen: " + serials(seen)
                    + "; handshakes dropped by the server and made again: " + client.dropped());
            // The connection made before the rotation still works: the server was not restarted.
            assertEquals("HTTP/1.1 400 Bad Request", before.postToMutate());
        }
    }

    @Test
    void rotatedCaIsServedWhileTheTransitionBundleTrustsBoth() throws Exception {
        Path oldCa = Files.copy(ScriptCertificates.CERTS.resolve("ca.crt"), ScriptCertificates.ROOT.resolve("old-ca.crt"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        ScriptCertificates.generate("--renew-ca");
        X509Certificate renewed = servingCertificate();
        TlsClient bundle = new TlsClient(ScriptCertificates.CERTS.resolve("ca-bundle.crt"));

        // The API server gets the bundle first; it must accept the certificate still being served.
        bundle.connect(https.getPort(), "TLSv1.2").close();

        ScriptCertificates.MOUNT.publish(ScriptCertificates.CERTS);
        // The bundle trusts every certificate served during the switch: awaitServed fails on a trust failure.
        List<X509Certificate> seen = awaitServed(renewed, bundle);
        assertEquals(renewed, seen.get(seen.size() - 1), "served after rotation; seen: " + serials(seen)
                + "; handshakes dropped by the server and made again: " + bundle.dropped());

        TlsClient onlyNewCa = new TlsClient(ScriptCertificates.CERTS.resolve("ca.crt"));
        TlsClient onlyOldCa = new TlsClient(oldCa);
        onlyNewCa.connect(https.getPort(), "TLSv1.3").close();
        SSLHandshakeException refused = assertThrows(SSLHandshakeException.class,
                () -> onlyOldCa.connect(https.getPort(), "TLSv1.3").close());
        assertTrue(TlsClient.isTrustFailure(refused),
                "the old CA alone no longer verifies the server, so the bundle needed both: " + refused);
    }

    // --- helpers -----------------------------------------------------------------------------------------------

    private static TlsClient trustingCurrentCa() {
        return new TlsClient(ScriptCertificates.CERTS.resolve("ca.crt"));
    }

    private static X509Certificate servingCertificate() throws Exception {
        return CertsScriptTest.parse(Files.readAllBytes(ScriptCertificates.CERTS.resolve("tls.crt"))).get(0);
    }

    /** New connections until the expected certificate is served; bounded in attempts and time. */
    private List<X509Certificate> awaitServed(X509Certificate expected, TlsClient client)
            throws IOException, InterruptedException {
        List<X509Certificate> seen = new ArrayList<>();
        for (int attempt = 0; attempt < ROTATION_ATTEMPTS; attempt++) {
            try (TlsClient.Connection connection = client.connect(https.getPort(), "TLSv1.3")) {
                X509Certificate served = connection.peerCertificate();
                if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(served)) {
                    seen.add(served);
                }
                if (served.equals(expected)) {
                    return seen;
                }
            }
            Thread.sleep(ROTATION_PAUSE.toMillis());
        }
        return seen;
    }

    private static List<String> serials(List<X509Certificate> certificates) {
        return certificates.stream().map(c -> c.getSerialNumber().toString(16)).toList();
    }
}

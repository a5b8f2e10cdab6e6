package io.ocimirror.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A test CA and a serving certificate for localhost, made with openssl once per build under
 * {@code target/test-tls}, and handed to the webhook as {@code oci-mirror.tls.*}.
 */
public class TestCertificates implements QuarkusTestResourceLifecycleManager {

    public static final Path DIRECTORY = Path.of("target", "test-tls");
    public static final Path CA_CERT = DIRECTORY.resolve("ca.crt");
    public static final Path SERVER_CERT = DIRECTORY.resolve("tls.crt");
    public static final Path SERVER_KEY = DIRECTORY.resolve("tls.key");

    @Override
    public Map<String, String> start() {
        generate();
        return Map.of(
                "oci-mirror.tls.cert-file", SERVER_CERT.toAbsolutePath().toString(),
                "oci-mirror.tls.key-file", SERVER_KEY.toAbsolutePath().toString());
    }

    @Override
    public void stop() {
    }

    public static synchronized void generate() {
        if (Files.exists(SERVER_CERT) && Files.exists(SERVER_KEY)) {
            return;
        }
        try {
            Files.createDirectories(DIRECTORY);
            Path ext = DIRECTORY.resolve("server.ext");
            Files.writeString(ext, "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n");
            openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                    "-keyout", "ca.key", "-out", "ca.crt", "-days", "30", "-subj", "/CN=oci-mirror-webhook test CA");
            openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                    "-keyout", "tls.key", "-out", "server.csr", "-subj", "/CN=localhost");
            openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                    "-out", "tls.crt", "-days", "30", "-extfile", "server.ext");
        } catch (IOException e) {
            throw new IllegalStateException("cannot write test certificates to " + DIRECTORY, e);
        }
    }

    /** A trust store holding only the test CA. */
    public static KeyStore trustStore() {
        generate();
        try (InputStream in = Files.newInputStream(CA_CERT)) {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            store.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
            return store;
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the test CA " + CA_CERT, e);
        }
    }

    private static void openssl(String... arguments) throws IOException {
        List<String> command = new java.util.ArrayList<>(List.of("openssl"));
        command.addAll(List.of(arguments));
        Process process;
        try {
            process = new ProcessBuilder(command).directory(DIRECTORY.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException("openssl is needed to make test certificates: apt-get install -y openssl", e);
        }
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                throw new IllegalStateException("openssl " + String.join(" ", arguments) + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running openssl", e);
        }
    }
}

package io.ocimirror.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A mirror backed by object storage answers a blob GET with a redirect to another host (Harbor or Distribution on
 * S3, ECR). The walk follows it, and the mirror's credentials stay with the mirror.
 */
class RedirectTest {

    private static final byte[] BLOB = "layer bytes in a bucket".getBytes(StandardCharsets.UTF_8);

    private final List<String> mirrorAuthorizations = Collections.synchronizedList(new ArrayList<>());
    private final List<String> storageAuthorizations = Collections.synchronizedList(new ArrayList<>());
    private HttpServer mirror;
    private HttpServer storage;

    @BeforeEach
    void start() throws IOException {
        InetAddress loopback = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
        storage = HttpServer.create(new InetSocketAddress(loopback, 0), 8);
        storage.createContext("/bucket/", exchange -> {
            storageAuthorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            exchange.sendResponseHeaders(200, BLOB.length);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(BLOB);
            }
        });
        storage.start();
        mirror = HttpServer.create(new InetSocketAddress(loopback, 0), 8);
        mirror.createContext("/v2/", exchange -> {
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            mirrorAuthorizations.add(String.valueOf(authorization));
            if (authorization == null) {
                exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"mirror\"");
                exchange.sendResponseHeaders(401, -1);
            } else {
                exchange.getResponseHeaders().add("Location", "http://127.0.0.1:" + storage.getAddress().getPort()
                        + "/bucket/blob?X-Amz-Signature=abc");
                exchange.sendResponseHeaders(307, -1);
            }
            exchange.close();
        });
        mirror.start();
    }

    @AfterEach
    void stop() {
        mirror.stop(0);
        storage.stop(0);
    }

    @Test
    void followsABlobRedirectToObjectStorageWithoutTheMirrorsCredentials() throws Exception {
        String host = "127.0.0.1:" + mirror.getAddress().getPort();
        RegistryAccess access = new RegistryAccessFactory(Duration.ofSeconds(3), Duration.ofSeconds(10),
                System::nanoTime).access(new RegistryAccessFactory.Endpoint(host, true, Optional.empty(), false),
                Optional.of(new RegistryCredential("robot", "s3cret")));

        long size = access.blob("library/app", "sha256:" + HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(BLOB)), BLOB.length);

        assertEquals(BLOB.length, size);
        assertEquals(List.of("null", "Basic cm9ib3Q6czNjcmV0"), mirrorAuthorizations,
                "the mirror got its credentials after its challenge");
        assertEquals(List.of("null"), storageAuthorizations, "the storage host got no credentials");
    }
}

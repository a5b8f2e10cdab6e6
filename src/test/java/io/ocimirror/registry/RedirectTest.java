package io.ocimirror.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ocimirror.testing.registry.StubRegistry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
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
    private StubRegistry mirror;
    private StubRegistry storage;

    @BeforeEach
    void start() {
        storage = StubRegistry.start().handle("/bucket/", exchange -> {
            storageAuthorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            StubRegistry.respond(exchange, 200, BLOB);
        });
        mirror = StubRegistry.start().handle("/v2/", exchange -> {
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            mirrorAuthorizations.add(String.valueOf(authorization));
            if (authorization == null) {
                StubRegistry.respond(exchange, 401, Map.of("WWW-Authenticate", "Basic realm=\"mirror\""),
                        StubRegistry.NO_BODY);
            } else {
                StubRegistry.respond(exchange, 307, Map.of("Location", "http://" + storage.host()
                        + "/bucket/blob?X-Amz-Signature=abc"), StubRegistry.NO_BODY);
            }
        });
    }

    @AfterEach
    void stop() {
        mirror.close();
        storage.close();
    }

    @Test
    void followsABlobRedirectToObjectStorageWithoutTheMirrorsCredentials() throws Exception {
        RegistryAccess access = new RegistryAccessFactory(Duration.ofSeconds(3), Duration.ofSeconds(10),
                System::nanoTime).access(new RegistryAccessFactory.Endpoint(mirror.host(), true, Optional.empty(),
                false), Optional.of(new RegistryCredential("robot", "s3cret")));

        long size = access.blob("library/app", "sha256:" + HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(BLOB)), BLOB.length);

        assertEquals(BLOB.length, size);
        assertEquals(List.of("null", "Basic cm9ib3Q6czNjcmV0"), mirrorAuthorizations,
                "the mirror got its credentials after its challenge");
        assertEquals(List.of("null"), storageAuthorizations, "the storage host got no credentials");
    }
}

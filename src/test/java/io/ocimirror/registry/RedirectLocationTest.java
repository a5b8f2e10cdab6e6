package io.ocimirror.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ocimirror.registry.RegistryAccessException.Failure;
import io.ocimirror.testing.registry.StubRegistry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A redirect's {@code Location} is checked before the client follows it: an absolute http(s) URL with a host, or a
 * reference resolved against the request. Anything else is a typed failure naming the Location.
 */
class RedirectLocationTest {

    private static final byte[] BLOB = "redirected layer".getBytes(StandardCharsets.UTF_8);

    private volatile String location;
    private StubRegistry mirror;
    private String host;

    @BeforeEach
    void start() {
        mirror = StubRegistry.start()
                .handle("/v2/", exchange -> StubRegistry.respond(exchange, 307, Map.of("Location", location),
                        StubRegistry.NO_BODY))
                .handle("/storage/", exchange -> StubRegistry.respond(exchange, 200, BLOB));
        host = mirror.host();
    }

    @AfterEach
    void stop() {
        mirror.close();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unusableLocations")
    void refusesALocationThatIsNoHttpUrlWithAHost(String name, String unusable) {
        location = unusable;

        RegistryAccessException refused = assertThrows(RegistryAccessException.class,
                () -> access().blob("library/app", digest(), BLOB.length));

        assertEquals(Failure.UNSUPPORTED, refused.failure());
        assertTrue(refused.getMessage().contains("a redirect to \"" + unusable + "\""), refused.getMessage());
    }

    static Stream<Arguments> unusableLocations() {
        return Stream.of(
                Arguments.of("not a URI (a space)", "http://storage.example/a b"),
                Arguments.of("not a URI (an unclosed IPv6 literal)", "http://[::1/blob"),
                Arguments.of("another scheme", "ftp://127.0.0.1/blob"),
                Arguments.of("an opaque URI", "mailto:storage@example.com"),
                Arguments.of("http without a host", "http:///blob"),
                Arguments.of("an opaque http URI", "http:blob"),
                Arguments.of("a host that is no host name", "http://under_score.example/blob"),
                Arguments.of("a port out of range", "http://127.0.0.1:99999/blob"),
                Arguments.of("port 0", "http://127.0.0.1:0/blob"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("usableLocations")
    void followsAnAbsoluteOrRelativeLocation(String name, String usable) throws Exception {
        location = usable.replace("HOST", host);

        assertEquals(BLOB.length, access().blob("library/app", digest(), BLOB.length));
    }

    static Stream<Arguments> usableLocations() {
        return Stream.of(
                Arguments.of("absolute", "http://HOST/storage/blob?X-Amz-Signature=abc"),
                Arguments.of("absolute, the scheme in capitals", "HTTP://HOST/storage/blob"),
                Arguments.of("absolute path", "/storage/blob"),
                Arguments.of("relative path", "../../../../storage/blob"));
    }

    private RegistryAccess access() throws RegistryAccessException {
        return new RegistryAccessFactory(Duration.ofSeconds(3), Duration.ofSeconds(3), System::nanoTime)
                .access(new RegistryAccessFactory.Endpoint(host, true, Optional.empty(), false), Optional.empty());
    }

    private static String digest() throws Exception {
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(BLOB));
    }
}

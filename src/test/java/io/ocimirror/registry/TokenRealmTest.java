package io.ocimirror.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ocimirror.registry.RegistryAccessException.Failure;
import io.ocimirror.testing.registry.StubRegistry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The realm of a Bearer challenge is checked as a redirect's {@code Location} is, resolved against the request: a
 * realm that {@link java.net.URI} accepts and the HTTP client does not (an opaque URI, a port out of range) is a typed
 * failure naming it, and nothing is asked of it.
 */
class TokenRealmTest {

    private static final byte[] BLOB = "layer".getBytes(StandardCharsets.UTF_8);

    private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
    private volatile String realm;
    private volatile String tokenAnswer = "{\"token\":\"t0ken\"}";
    private StubRegistry mirror;
    private String host;

    @BeforeEach
    void start() {
        mirror = StubRegistry.start()
                .handle("/token", exchange -> {
                    requests.add(exchange.getRequestURI().toString());
                    StubRegistry.respond(exchange, 200, tokenAnswer.getBytes(StandardCharsets.UTF_8));
                })
                .handle("/v2/", exchange -> {
                    requests.add(exchange.getRequestURI().getRawPath());
                    if (exchange.getRequestHeaders().getFirst("Authorization") == null) {
                        exchange.getResponseHeaders().add("WWW-Authenticate",
                                "Bearer realm=\"" + realm.replace("HOST", host) + "\",service=\"mirror\"");
                        StubRegistry.respond(exchange, 401, StubRegistry.NO_BODY);
                        return;
                    }
                    StubRegistry.respond(exchange, 200, BLOB);
                });
        host = mirror.host();
    }

    @AfterEach
    void stop() {
        mirror.close();
    }

    static Stream<Arguments> unusableRealms() {
        return Stream.of(
                Arguments.of("an opaque http URI", "http:token"),
                Arguments.of("an opaque https URI", "https:token"),
                Arguments.of("a port out of range", "http://127.0.0.1:99999/token"),
                Arguments.of("port 0", "http://127.0.0.1:0/token"),
                Arguments.of("not a URI", "http://HOST/to ken"),
                Arguments.of("another scheme", "ftp://HOST/token"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unusableRealms")
    void refusesARealmThatIsNoUsableUrl(String name, String unusable) {
        realm = unusable;

        RegistryAccessException refused = assertThrows(RegistryAccessException.class, this::fetch);

        assertEquals(Failure.UNSUPPORTED, refused.failure());
        assertTrue(refused.getMessage().contains("a token realm to \"" + unusable.replace("HOST", host) + "\""),
                refused.getMessage());
        assertEquals(List.of("/v2/library/app/blobs/" + digest()), requests);
    }

    static Stream<Arguments> usableRealms() {
        return Stream.of(
                Arguments.of("absolute", "http://HOST/token"),
                Arguments.of("absolute, the scheme in capitals", "HTTP://HOST/token"),
                Arguments.of("absolute path", "/token"),
                Arguments.of("with a query of its own", "http://HOST/token?client=x"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("usableRealms")
    void fetchesTheTokenFromAUsableRealm(String name, String usable) throws Exception {
        realm = usable;

        assertEquals(BLOB.length, fetch());
        assertEquals(3, requests.size(), requests::toString);
        assertTrue(requests.get(1).startsWith("/token?") && requests.get(1).contains("service=mirror&scope="),
                requests::toString);
    }

    /** What the HTTP client refuses to send ends as a typed failure too, here a header value with a line break. */
    @Test
    void refusesATokenThatCannotBeSentAsAHeader() {
        realm = "/token";
        tokenAnswer = "{\"token\":\"t0\\r\\nX-Injected: 1\"}";

        RegistryAccessException refused = assertThrows(RegistryAccessException.class, this::fetch);

        assertEquals(Failure.UNSUPPORTED, refused.failure());
        assertTrue(refused.getMessage().contains("the HTTP client cannot request \"http://" + host
                + "/v2/library/app/blobs/"), refused.getMessage());
    }

    private long fetch() throws RegistryAccessException {
        return new RegistryAccessFactory(Duration.ofSeconds(3), Duration.ofSeconds(3), System::nanoTime)
                .access(new RegistryAccessFactory.Endpoint(host, true, Optional.empty(), false), Optional.empty())
                .blob("library/app", digest(), BLOB.length);
    }

    private static String digest() {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(BLOB));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

package io.ocimirror.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ocimirror.testing.registry.StubRegistry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A 401 may carry several challenges, in one header or several (RFC 7235 section 4.1). The client answers Bearer
 * when a Bearer challenge names a realm, else Basic when it has credentials, whatever the order.
 */
class SeveralChallengesTest {

    private static final byte[] BLOB = "layer".getBytes(StandardCharsets.UTF_8);
    private static final RegistryCredential ROBOT = new RegistryCredential("robot", "s3cret");
    private static final String BASIC = "Basic " + Base64.getEncoder().encodeToString(
            "robot:s3cret".getBytes(StandardCharsets.UTF_8));

    private final List<String> authorizations = Collections.synchronizedList(new ArrayList<>());
    private volatile List<String> challenges = List.of();
    private StubRegistry mirror;
    private String host;

    @BeforeEach
    void start() {
        mirror = StubRegistry.start()
                .handle("/token", exchange -> StubRegistry.respond(exchange, 200,
                        "{\"token\":\"t0ken\"}".getBytes(StandardCharsets.UTF_8)))
                .handle("/v2/", exchange -> {
                    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
                    authorizations.add(String.valueOf(authorization));
                    if (authorization == null) {
                        challenges.forEach(challenge -> exchange.getResponseHeaders().add("WWW-Authenticate",
                                challenge.replace("REALM", "http://" + host + "/token")));
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

    @ParameterizedTest(name = "{0}")
    @MethodSource("answers")
    void answersTheChallengeItCanUse(String name, List<String> sent, Optional<RegistryCredential> credential,
            String answer) throws Exception {
        challenges = sent;
        RegistryAccess access = new RegistryAccessFactory(Duration.ofSeconds(3), Duration.ofSeconds(3),
                System::nanoTime).access(new RegistryAccessFactory.Endpoint(host, true, Optional.empty(), false),
                credential);

        access.blob("library/app", "sha256:" + HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(BLOB)), BLOB.length);

        assertEquals(List.of("null", answer), authorizations);
    }

    static Stream<Arguments> answers() {
        String bearer = "Bearer realm=\"REALM\",service=\"mirror\"";
        String basic = "Basic realm=\"mirror\"";
        return Stream.of(
                Arguments.of("Bearer then Basic in one header", List.of(bearer + ", " + basic), Optional.of(ROBOT),
                        "Bearer t0ken"),
                Arguments.of("Basic then Bearer in one header", List.of(basic + ", " + bearer), Optional.of(ROBOT),
                        "Bearer t0ken"),
                Arguments.of("Basic and Bearer in two headers", List.of(basic, bearer), Optional.empty(),
                        "Bearer t0ken"),
                Arguments.of("Basic after a scheme the client does not speak", List.of("Negotiate, " + basic),
                        Optional.of(ROBOT), BASIC),
                Arguments.of("Basic after a Bearer without realm", List.of("Bearer service=\"mirror\", " + basic),
                        Optional.of(ROBOT), BASIC));
    }
}

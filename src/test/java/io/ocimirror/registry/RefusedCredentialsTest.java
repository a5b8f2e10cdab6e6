package io.ocimirror.registry;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ocimirror.testing.registry.StubRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A 401 or 403 says whether credentials were presented and refused, or none were presented. */
class RefusedCredentialsTest {

    private static final String DIGEST = "sha256:" + "0".repeat(64);
    private static final RegistryCredential ROBOT = new RegistryCredential("robot", "s3cret");

    /**
     * How the mirror answers.
     *
     * @param challenge      the WWW-Authenticate of the first 401, {@code BEARER} for this server's token endpoint
     * @param statusWithAuth the answer to a request with an Authorization header
     * @param tokenStatus    the token endpoint's answer
     */
    private record Mirror(String challenge, int statusWithAuth, int tokenStatus) {
    }

    private volatile Mirror behaviour;
    private StubRegistry server;
    private String host;

    @BeforeEach
    void start() {
        byte[] token = "{\"token\": \"anonymous\"}".getBytes(StandardCharsets.UTF_8);
        server = StubRegistry.start()
                .handle("/token", exchange -> StubRegistry.respond(exchange, behaviour.tokenStatus(),
                        behaviour.tokenStatus() == 200 ? token : StubRegistry.NO_BODY))
                .handle("/v2/", exchange -> {
                    if (exchange.getRequestHeaders().getFirst("Authorization") == null) {
                        StubRegistry.respond(exchange, 401, Map.of("WWW-Authenticate", behaviour.challenge()
                                .replace("BEARER", "Bearer realm=\"http://" + host + "/token\",service=\"mirror\"")),
                                StubRegistry.NO_BODY);
                    } else {
                        StubRegistry.respond(exchange, behaviour.statusWithAuth(), StubRegistry.NO_BODY);
                    }
                });
        host = server.host();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    static Stream<Arguments> refusals() {
        String basic = "Basic realm=\"mirror\"";
        return Stream.of(
                // case, the mirror, the credential, the end of the message
                Arguments.of("401 to credentials", new Mirror(basic, 401, 200), Optional.of(ROBOT),
                        ": HTTP 401: the credentials of user robot were refused"),
                Arguments.of("403 to credentials", new Mirror(basic, 403, 200), Optional.of(ROBOT),
                        ": HTTP 403: the credentials of user robot were refused access"),
                Arguments.of("401 and no credentials", new Mirror(basic, 401, 200), Optional.empty(),
                        ": HTTP 401: no credentials presented (none configured for HOST)"),
                Arguments.of("token refused", new Mirror("BEARER", 200, 401), Optional.of(ROBOT),
                        ": HTTP 401: the credentials of user robot were refused"),
                Arguments.of("token with no credentials, then 403", new Mirror("BEARER", 403, 200), Optional.empty(),
                        ": HTTP 403: no credentials presented (none configured for HOST)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void saysWhetherCredentialsWereRefusedOrAbsent(String name, Mirror mirror, Optional<RegistryCredential> credential,
            String ending) throws Exception {
        behaviour = mirror;
        RegistryAccess access = new RegistryAccessFactory(Duration.ofSeconds(3), Duration.ofSeconds(10),
                System::nanoTime).access(new RegistryAccessFactory.Endpoint(host, true, Optional.empty(), false),
                credential);

        RegistryAccessException error = assertThrows(RegistryAccessException.class,
                () -> access.blob("library/app", DIGEST, -1));

        assertAll(
                () -> assertEquals(RegistryAccessException.Failure.UNAUTHORIZED, error.failure()),
                () -> assertTrue(error.getMessage().endsWith(ending.replace("HOST", host)), error.getMessage()),
                () -> assertTrue(!error.getMessage().contains(ROBOT.password()), "no password: " + error.getMessage()));
    }
}

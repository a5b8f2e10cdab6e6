package io.ocimirror.registry;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
    private HttpServer server;
    private String host;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 0), 8);
        server.createContext("/token", exchange -> {
            byte[] token = "{\"token\": \"anonymous\"}".getBytes(StandardCharsets.UTF_8);
            if (behaviour.tokenStatus() == 200) {
                exchange.sendResponseHeaders(200, token.length);
                exchange.getResponseBody().write(token);
            } else {
                exchange.sendResponseHeaders(behaviour.tokenStatus(), -1);
            }
            exchange.close();
        });
        server.createContext("/v2/", exchange -> {
            if (exchange.getRequestHeaders().getFirst("Authorization") == null) {
                exchange.getResponseHeaders().add("WWW-Authenticate", behaviour.challenge()
                        .replace("BEARER", "Bearer realm=\"http://" + host + "/token\",service=\"mirror\""));
                exchange.sendResponseHeaders(401, -1);
            } else {
                exchange.sendResponseHeaders(behaviour.statusWithAuth(), -1);
            }
            exchange.close();
        });
        server.start();
        host = "127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
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

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
    private HttpServer mirror;
    private String host;

    @BeforeEach
    void start() throws IOException {
        mirror = HttpServer.create(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 0), 8);
        mirror.createContext("/token", exchange -> {
            byte[] token = "{\"token\":\"t0ken\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, token.length);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(token);
            }
        });
        mirror.createContext("/v2/", exchange -> {
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            authorizations.add(String.valueOf(authorization));
            if (authorization == null) {
                challenges.forEach(challenge -> exchange.getResponseHeaders().add("WWW-Authenticate",
                        challenge.replace("REALM", "http://" + host + "/token")));
                exchange.sendResponseHeaders(401, -1);
                exchange.close();
                return;
            }
            exchange.sendResponseHeaders(200, BLOB.length);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(BLOB);
            }
        });
        mirror.start();
        host = "127.0.0.1:" + mirror.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        mirror.stop(0);
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

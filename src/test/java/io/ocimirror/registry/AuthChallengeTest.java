package io.ocimirror.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code WWW-Authenticate} headers with one or several challenges (RFC 7235 section 4.1). */
class AuthChallengeTest {

    private static final String REALM = "https://auth.example.com/token";

    @ParameterizedTest(name = "{0}")
    @MethodSource("headers")
    void readsEveryChallenge(String name, List<String> headers, List<AuthChallenge> expected) {
        assertEquals(expected, AuthChallenge.parseAll(headers));
    }

    static Stream<Arguments> headers() {
        AuthChallenge bearer = new AuthChallenge("bearer", Map.of("realm", REALM, "service", "registry.example.com"));
        AuthChallenge basic = new AuthChallenge("basic", Map.of("realm", "mirror"));
        return Stream.of(
                Arguments.of("no header", List.of(), List.of()),
                Arguments.of("an empty header", List.of(" "), List.of()),
                Arguments.of("one Bearer challenge",
                        List.of("Bearer realm=\"" + REALM + "\",service=\"registry.example.com\""), List.of(bearer)),
                Arguments.of("Bearer then Basic in one header",
                        List.of("Bearer realm=\"" + REALM + "\",service=\"registry.example.com\", Basic realm=\"mirror\""),
                        List.of(bearer, basic)),
                Arguments.of("Basic then Bearer in one header, spaced and upper case",
                        List.of("BASIC Realm=mirror ,  bearer realm = \"" + REALM + "\" , service=registry.example.com"),
                        List.of(basic, bearer)),
                Arguments.of("one challenge per header",
                        List.of("Basic realm=\"mirror\"", "Bearer realm=\"" + REALM + "\",service=\"registry.example.com\""),
                        List.of(basic, bearer)),
                Arguments.of("a scheme without parameters and a token68 before Basic",
                        List.of("Negotiate, NTLM abc+/def==, Basic realm=\"mirror\""),
                        List.of(new AuthChallenge("negotiate", Map.of()), new AuthChallenge("ntlm", Map.of()), basic)),
                Arguments.of("a comma and an escaped quote inside a quoted value",
                        List.of("Bearer realm=\"" + REALM + "\",scope=\"repository:a/b:pull,push\",error=\"say \\\"no\\\"\""),
                        List.of(new AuthChallenge("bearer", Map.of("realm", REALM,
                                "scope", "repository:a/b:pull,push", "error", "say \"no\""))) ),
                Arguments.of("empty list elements", List.of(", ,Basic realm=\"mirror\",,"), List.of(basic)),
                Arguments.of("garbage before a challenge", List.of("=== , Basic realm=\"mirror\""), List.of(basic)));
    }
}

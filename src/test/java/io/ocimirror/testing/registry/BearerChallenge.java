package io.ocimirror.testing.registry;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code WWW-Authenticate: Bearer realm="...",service="...",scope="..."} challenge, as the distribution token
 * auth specification describes it ({@code docs/spec/auth/token.md}).
 */
public record BearerChallenge(String realm, Optional<String> service, Optional<String> scope) {

    private static final Pattern PARAMETER = Pattern.compile("([A-Za-z]+)=\"([^\"]*)\"");

    /** The Bearer challenge in a {@code WWW-Authenticate} value, or empty for another scheme. */
    public static Optional<BearerChallenge> parse(String header) {
        String trimmed = header.strip();
        if (!trimmed.regionMatches(true, 0, "Bearer ", 0, "Bearer ".length())) {
            return Optional.empty();
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        Matcher matcher = PARAMETER.matcher(trimmed.substring("Bearer ".length()));
        while (matcher.find()) {
            parameters.put(matcher.group(1).toLowerCase(), matcher.group(2));
        }
        String realm = parameters.get("realm");
        if (realm == null) {
            return Optional.empty();
        }
        return Optional.of(new BearerChallenge(realm, Optional.ofNullable(parameters.get("service")),
                Optional.ofNullable(parameters.get("scope"))));
    }

    /** The token request for this challenge: the realm with {@code service} and {@code scope} as query. */
    public URI tokenUri() {
        StringBuilder uri = new StringBuilder(realm);
        service.ifPresent(value -> appendQuery(uri, "service", value));
        scope.ifPresent(value -> appendQuery(uri, "scope", value));
        return URI.create(uri.toString());
    }

    private static void appendQuery(StringBuilder uri, String name, String value) {
        uri.append(uri.indexOf("?") < 0 ? '?' : '&').append(name).append('=')
                .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
    }
}

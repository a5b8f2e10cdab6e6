package io.ocimirror.registry;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code WWW-Authenticate} challenge of a registry (RFC 7235 section 4.1; the distribution token flow in
 * distribution's docs/spec/auth/token.md): the scheme ({@code bearer} or {@code basic}, lower case) and its
 * parameters ({@code realm}, {@code service}, {@code scope}).
 */
record AuthChallenge(String scheme, Map<String, String> parameters) {

    /** {@code name="quoted value"} or {@code name=token}, separated by commas. */
    private static final Pattern PARAMETER =
            Pattern.compile("([A-Za-z][A-Za-z0-9_-]*)\\s*=\\s*(?:\"((?:[^\"\\\\]|\\\\.)*)\"|([^,\\s]*))");

    /** @return the challenge, or empty for a missing or empty header */
    static Optional<AuthChallenge> parse(Optional<String> header) {
        if (header.isEmpty() || header.get().isBlank()) {
            return Optional.empty();
        }
        String value = header.get().trim();
        int space = value.indexOf(' ');
        String scheme = (space < 0 ? value : value.substring(0, space)).toLowerCase(Locale.ROOT);
        Map<String, String> parameters = new LinkedHashMap<>();
        if (space >= 0) {
            Matcher matcher = PARAMETER.matcher(value.substring(space + 1));
            while (matcher.find()) {
                String parameter = matcher.group(2) != null
                        ? matcher.group(2).replaceAll("\\\\(.)", "$1")
                        : matcher.group(3);
                parameters.put(matcher.group(1).toLowerCase(Locale.ROOT), parameter);
            }
        }
        return Optional.of(new AuthChallenge(scheme, Map.copyOf(parameters)));
    }

    Optional<String> parameter(String name) {
        return Optional.ofNullable(parameters.get(name));
    }
}

package io.ocimirror.registry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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

    /**
     * RFC 7235 section 4.1: {@code WWW-Authenticate = 1#challenge}, {@code challenge = auth-scheme [ 1*SP ( token68
     * / #auth-param ) ]}. Commas separate both challenges and the parameters of one, so a new challenge starts where
     * a token is not followed by {@code =}.
     */
    private static final Pattern SCHEME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    /** {@code name="quoted value"} or {@code name=token}. */
    private static final Pattern PARAMETER =
            Pattern.compile("([!#$%&'*+.^_`|~0-9A-Za-z-]+)[ \\t]*=[ \\t]*(?:\"((?:[^\"\\\\]|\\\\.)*)\"|([^,\\s]*))");
    /** A token68 (Negotiate's blob): kept neither as a parameter nor as a scheme. */
    private static final Pattern TOKEN68 = Pattern.compile("[A-Za-z0-9._~+/-]+=*[ \\t]*(?=,|$)");

    /** @return the challenges of every {@code WWW-Authenticate} header, in order; empty for none */
    static List<AuthChallenge> parseAll(List<String> headers) {
        List<AuthChallenge> challenges = new ArrayList<>();
        for (String header : headers) {
            parseHeader(header, challenges);
        }
        return List.copyOf(challenges);
    }

    private static void parseHeader(String header, List<AuthChallenge> challenges) {
        Matcher scheme = SCHEME.matcher(header);
        Matcher parameter = PARAMETER.matcher(header);
        Matcher token68 = TOKEN68.matcher(header);
        int position = skipSeparators(header, 0);
        while (position < header.length()) {
            if (!scheme.region(position, header.length()).lookingAt()) {
                // Not a challenge: skip to the next comma and try again there.
                int comma = header.indexOf(',', position);
                position = comma < 0 ? header.length() : skipSeparators(header, comma);
                continue;
            }
            String name = scheme.group().toLowerCase(Locale.ROOT);
            position = skipSpaces(header, scheme.end());
            Map<String, String> parameters = new LinkedHashMap<>();
            if (token68.region(position, header.length()).lookingAt()) {
                position = token68.end();
            } else {
                while (parameter.region(position, header.length()).lookingAt()) {
                    String value = parameter.group(2) != null
                            ? parameter.group(2).replaceAll("\\\\(.)", "$1")
                            : parameter.group(3);
                    parameters.putIfAbsent(parameter.group(1).toLowerCase(Locale.ROOT), value);
                    position = skipSeparators(header, parameter.end());
                }
            }
            challenges.add(new AuthChallenge(name, Map.copyOf(parameters)));
            position = skipSeparators(header, position);
        }
    }

    /** Past the commas and white space between challenges and parameters (empty list elements, RFC 7230 7). */
    private static int skipSeparators(String header, int from) {
        int position = from;
        while (position < header.length() && (header.charAt(position) == ',' || header.charAt(position) == ' '
                || header.charAt(position) == '\t')) {
            position++;
        }
        return position;
    }

    private static int skipSpaces(String header, int from) {
        int position = from;
        while (position < header.length() && (header.charAt(position) == ' ' || header.charAt(position) == '\t')) {
            position++;
        }
        return position;
    }

    Optional<String> parameter(String name) {
        return Optional.ofNullable(parameters.get(name));
    }
}

package io.ocimirror.reference;

import java.util.regex.Pattern;

/**
 * The reference grammar of distribution/reference (the one containerd and the kubelet use), built from named
 * fragments:
 *
 * <pre>
 * reference        := name [ ":" tag ] [ "@" digest ]
 * name             := [domain '/'] remote-name
 * domain           := host [':' port-number]
 * host             := domain-name | IPv4address | \[ IPv6address \]
 * domain-name      := domain-component ['.' domain-component]*
 * domain-component := /([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])/
 * port-number      := /[0-9]+/
 * remote-name      := path-component ['/' path-component]*
 * path-component   := alpha-numeric [separator alpha-numeric]*
 * alpha-numeric    := /[a-z0-9]+/
 * separator        := /[_.]|__|[-]+/
 * tag              := /[\w][\w.-]{0,127}/
 * </pre>
 *
 * <p>Digests follow the OCI image spec (descriptor.md, "Digests"), which registries and runtimes verify against:
 *
 * <pre>
 * digest              := algorithm ":" encoded
 * algorithm           := algorithm-component (algorithm-separator algorithm-component)*
 * algorithm-component := /[a-z0-9]+/
 * algorithm-separator := /[+._-]/
 * encoded             := /[a-zA-Z0-9=_-]+/
 * </pre>
 *
 * with the registered algorithms' encodings: {@code sha256} exactly 64 and {@code sha512} exactly 128 lower-case
 * hex characters.
 */
final class ReferenceGrammar {

    private static final String ALPHA_NUMERIC = "[a-z0-9]+";
    private static final String SEPARATOR = "(?:[._]|__|-+)";
    private static final String PATH_COMPONENT = ALPHA_NUMERIC + "(?:" + SEPARATOR + ALPHA_NUMERIC + ")*";
    /**
     * The domain-component of the grammar, written as one alternative: the same language as
     * {@code [a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]}, without the backtracking into the second alternative
     * that made it the slowest part of matching a registry host.
     */
    private static final String DOMAIN_COMPONENT = "[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?";
    private static final String DOMAIN_NAME = DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT + ")*";
    private static final String IPV6_ADDRESS = "\\[[a-fA-F0-9:]+]";
    private static final String PORT = "[0-9]+";
    private static final String ALGORITHM_COMPONENT = "[a-z0-9]+";

    static final Pattern DOMAIN = Pattern.compile("(?:" + DOMAIN_NAME + "|" + IPV6_ADDRESS + ")(?::" + PORT + ")?");

    static final Pattern REMOTE_NAME = Pattern.compile(PATH_COMPONENT + "(?:/" + PATH_COMPONENT + ")*");

    /** The remote-name grammar with upper case allowed: a name that matches only this is an upper-case error. */
    static final Pattern REMOTE_NAME_IGNORING_CASE = Pattern.compile(REMOTE_NAME.pattern(), Pattern.CASE_INSENSITIVE);

    static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");

    static final Pattern DIGEST = Pattern.compile(
            ALGORITHM_COMPONENT + "(?:[-_+.]" + ALGORITHM_COMPONENT + ")*:[a-zA-Z0-9=_-]+");

    /** The encoding of a registered algorithm: lower-case hex (OCI image spec, descriptor.md). */
    static final Pattern LOWER_CASE_HEX = Pattern.compile("[a-f0-9]+");

    /** A bare 64-hex string looks like an image ID; distribution refuses it as a name. */
    static final Pattern IMAGE_ID = Pattern.compile("[a-f0-9]{64}");

    static final int NAME_TOTAL_LENGTH_MAX = 255;

    /**
     * Far above any registered digest (sha512 is 135 characters); a longer one is refused before the grammar runs,
     * whose repeated algorithm components recurse per component.
     */
    static final int DIGEST_LENGTH_MAX = 256;

    private ReferenceGrammar() {
    }
}

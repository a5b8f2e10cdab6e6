package io.ocimirror.registry;

import io.ocimirror.registry.RegistryAccessException.Failure;
import io.ocimirror.text.ReadableInput;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * The URLs a registry client builds and follows: paths on the mirror, and the targets of {@code Location} and
 * {@code Link} headers, each checked before it is requested. Strings from the network appear in messages quoted.
 */
final class MirrorUrls {

    /** Code points of a string from the network shown in a message. */
    private static final int MAX_SHOWN = 200;

    private final URI base;

    /** @param base the mirror's root, {@code http(s)://host[:port]} */
    MirrorUrls(URI base) {
        this.base = base;
    }

    /**
     * A path on the mirror. Repositories and references reach here checked (the reference grammar, {@link
     * ContentDigest}); a string that still is no URI path is refused rather than thrown.
     *
     * @param path a path with an optional query ({@code /v2/<name>/tags/list?n=1000}), already percent-encoded
     * @param what names the call in the error message ({@code manifest host/repo:tag})
     * @return the path resolved against the mirror's root
     * @throws RegistryAccessException {@link Failure#UNSUPPORTED} for a string that is no URI, an absolute URI, one
     *                                 with an authority or a fragment, or a path that is not normalised ({@code ..})
     */
    URI path(String path, String what) throws RegistryAccessException {
        try {
            URI uri = new URI(path);
            if (uri.isAbsolute() || uri.getRawAuthority() != null || uri.getRawFragment() != null
                    || !uri.normalize().equals(uri)) {
                throw new URISyntaxException(path, "not a path on the mirror");
            }
            return base.resolve(uri);
        } catch (URISyntaxException e) {
            throw new RegistryAccessException(Failure.UNSUPPORTED, what + ": " + quote(path) + " is not a path");
        }
    }

    /**
     * Where a {@code Location} or {@code Link} sends the client: an absolute http(s) URI with a host, or a
     * reference resolved against the request (RFC 9110 section 10.2.2, RFC 3986 section 5), whose port, if it names
     * one, is one a connection can be made to (1 to 65535). Anything else is {@link Failure#UNSUPPORTED}, never an
     * exception of {@link URI} or of the HTTP client.
     */
    static URI target(URI request, String reference, String kind, String what) throws RegistryAccessException {
        URI resolved;
        try {
            resolved = request.resolve(new URI(reference.trim()));
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new RegistryAccessException(Failure.UNSUPPORTED, what + ": " + kind + " to " + quote(reference)
                    + ", which is not a URI");
        }
        String scheme = resolved.getScheme() == null ? "" : resolved.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || resolved.isOpaque() || resolved.getHost() == null) {
            throw new RegistryAccessException(Failure.UNSUPPORTED, what + ": " + kind + " to " + quote(reference)
                    + ", which is not an http(s) URL with a host");
        }
        if (resolved.getPort() == 0 || resolved.getPort() > 65535) {
            throw new RegistryAccessException(Failure.UNSUPPORTED, what + ": " + kind + " to " + quote(reference)
                    + ", whose port " + resolved.getPort() + " is out of range");
        }
        return resolved;
    }

    /**
     * Whether two http(s) URIs are on the same origin (RFC 6454): scheme and host compared ignoring case, ports after
     * the scheme's default (80, 443) stands in for none.
     */
    static boolean sameOrigin(URI one, URI other) {
        return one.getScheme() != null && one.getScheme().equalsIgnoreCase(other.getScheme())
                && one.getHost() != null && one.getHost().equalsIgnoreCase(other.getHost())
                && port(one) == port(other);
    }

    private static int port(URI uri) {
        return uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    /** The target of {@code rel="next"} in a {@code Link} header (RFC 8288), as the distribution spec uses it. */
    static Optional<String> nextPage(String link) {
        for (String value : link.split(",")) {
            int open = value.indexOf('<');
            int close = value.indexOf('>', open + 1);
            if (open >= 0 && close > open && value.substring(close + 1).replace(" ", "").toLowerCase(Locale.ROOT)
                    .matches(".*;rel=\"?next\"?(;.*)?")) {
                return Optional.of(value.substring(open + 1, close).trim());
            }
        }
        return Optional.empty();
    }

    /** A string from the network as it appears in a message: quoted, bounded, control characters escaped. */
    static String quote(String value) {
        return '"' + ReadableInput.of(value, MAX_SHOWN) + '"';
    }
}

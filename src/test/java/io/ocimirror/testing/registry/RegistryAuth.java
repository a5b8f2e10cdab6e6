package io.ocimirror.testing.registry;

import java.util.Optional;

/**
 * How a {@link DistributionRegistry} protects its own API: not at all, with htpasswd Basic auth, or with the
 * Bearer token flow backed by a {@link TokenServer}. For a proxy mirror this is the clients-to-mirror side; the
 * proxy's own credentials towards its upstream ({@code proxy.username}) are a different setting.
 */
public final class RegistryAuth {

    /** The kinds of auth, named as in the {@code auth:} section of the Distribution configuration. */
    public enum Kind {
        NONE, HTPASSWD, TOKEN
    }

    private static final RegistryAuth NONE = new RegistryAuth(Kind.NONE, null);

    private final Kind kind;
    private final Credentials credentials;

    private RegistryAuth(Kind kind, Credentials credentials) {
        this.kind = kind;
        this.credentials = credentials;
    }

    public static RegistryAuth none() {
        return NONE;
    }

    /** htpasswd Basic auth with one user (a bcrypt entry made by {@code htpasswd -Bbn}). */
    public static RegistryAuth basic(String username, String password) {
        return new RegistryAuth(Kind.HTPASSWD, new Credentials(username, password));
    }

    /** Bearer token auth; the token server hands tokens to this one user, authenticated with Basic. */
    public static RegistryAuth bearer(String username, String password) {
        return new RegistryAuth(Kind.TOKEN, new Credentials(username, password));
    }

    public Kind kind() {
        return kind;
    }

    public Optional<Credentials> credentials() {
        return Optional.ofNullable(credentials);
    }

    @Override
    public String toString() {
        return credentials == null ? kind.name() : kind + "(" + credentials.username() + ")";
    }
}

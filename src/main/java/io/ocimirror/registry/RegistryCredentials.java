package io.ocimirror.registry;

import java.util.Map;
import java.util.Optional;

/**
 * The credentials replication presents to mirror hosts: per host (from a Docker config), else one credential for
 * every mirror (a Secret with {@code username} and {@code password}, as Greenhouse uses for its primary mirror).
 */
public record RegistryCredentials(Map<String, RegistryCredential> byHost, Optional<RegistryCredential> everyHost) {

    public static final RegistryCredentials NONE = new RegistryCredentials(Map.of(), Optional.empty());

    public Optional<RegistryCredential> forHost(String host) {
        return Optional.ofNullable(byHost.get(host)).or(() -> everyHost);
    }

    /** For logs: how many hosts have credentials, never the credentials. */
    public String describe() {
        return byHost.size() + " host(s)" + (everyHost.isPresent() ? " plus a credential for every mirror" : "");
    }
}

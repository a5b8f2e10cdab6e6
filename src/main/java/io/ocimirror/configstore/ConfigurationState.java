package io.ocimirror.configstore;

import io.ocimirror.config.MirrorConfiguration;
import io.ocimirror.registry.RegistryCredentials;
import java.util.Optional;

/**
 * One owner's mirror configuration as it stands.
 *
 * @param snapshot    the snapshot in force; empty means no mirrors (nothing valid seen yet, or an organisation
 *                    without {@code configMapRef} or key): nothing is rewritten under it
 * @param inForce     what is in force and where it came from, for readiness details
 * @param rejection   why the latest update was not applied; empty while it was, or before any
 * @param credentials what replication presents to the owner's mirror hosts
 */
public record ConfigurationState(Optional<MirrorConfiguration> snapshot, String inForce, Optional<String> rejection,
        RegistryCredentials credentials) {

    static final ConfigurationState NOTHING_YET =
            new ConfigurationState(Optional.empty(), "no mirrors: no valid configuration yet", Optional.empty(),
                    RegistryCredentials.NONE);

    /** One line for readiness details: what is in force and, after a rejected update, why it was rejected. */
    public String describe() {
        return rejection.map(problem -> "rejected: " + problem + "; in force: " + inForce).orElse(inForce);
    }

    ConfigurationState applied(Optional<MirrorConfiguration> newSnapshot, String newInForce) {
        return new ConfigurationState(newSnapshot, newInForce, Optional.empty(), credentials);
    }

    ConfigurationState rejected(String problem) {
        return new ConfigurationState(snapshot, inForce, Optional.of(problem), credentials);
    }

    ConfigurationState withCredentials(RegistryCredentials newCredentials) {
        return new ConfigurationState(snapshot, inForce, rejection, newCredentials);
    }
}

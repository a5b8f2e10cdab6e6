package io.ocimirror.greenhouse;

import io.ocimirror.config.MirrorConfiguration;
import java.util.Optional;

/**
 * One organisation's mirror configuration as it stands.
 *
 * @param configuration the snapshot in force; empty means no mirrors (no {@code configMapRef}, no key, or nothing
 *                      valid seen yet): nothing in the organisation's namespace is rewritten
 * @param inForce       what is in force and where it came from, for readiness details
 * @param rejection     why the latest update was not applied; empty while it was
 */
public record OrganizationState(Optional<MirrorConfiguration> configuration, String inForce,
        Optional<String> rejection) {

    /** One line for readiness details: what is in force and, after a rejected update, why it was rejected. */
    public String describe() {
        return rejection.map(problem -> "rejected: " + problem + "; in force: " + inForce).orElse(inForce);
    }

    OrganizationState rejected(String problem) {
        return new OrganizationState(configuration, inForce, Optional.of(problem));
    }
}

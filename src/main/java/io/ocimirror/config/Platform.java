package io.ocimirror.config;

import java.util.Optional;

/** An image platform such as {@code linux/amd64} or {@code linux/arm/v7}. */
public record Platform(String os, String architecture, Optional<String> variant) {

    /** Whether a manifest's platform fields select this platform (a missing variant here matches any variant). */
    public boolean matches(String otherOs, String otherArchitecture, String otherVariant) {
        return os.equals(otherOs)
                && architecture.equals(otherArchitecture)
                && variant.map(v -> v.equals(otherVariant)).orElse(true);
    }

    @Override
    public String toString() {
        return os + "/" + architecture + variant.map(v -> "/" + v).orElse("");
    }
}

package io.ocimirror.config;

import java.util.Optional;

/** An image platform such as {@code linux/amd64} or {@code linux/arm/v7}. */
public record Platform(String os, String architecture, Optional<String> variant) {

    /**
     * Whether an index entry's platform fields select this platform. A variant missing on either side matches any
     * variant: a client that cannot read variants warms every variant of the architecture rather than none.
     */
    public boolean matches(String otherOs, String otherArchitecture, String otherVariant) {
        return os.equals(otherOs)
                && architecture.equals(otherArchitecture)
                && (variant.isEmpty() || otherVariant.isEmpty() || variant.get().equals(otherVariant));
    }

    @Override
    public String toString() {
        return os + "/" + architecture + variant.map(v -> "/" + v).orElse("");
    }
}

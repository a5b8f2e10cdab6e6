package io.ocimirror.replication;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with jitter: before retry {@code n} (from 1) wait between half and all of
 * {@code initial * 2^(n-1)}, capped at {@code max}. The jitter spreads retries of many jobs against one mirror that
 * failed at the same moment.
 */
public final class Backoff {

    private final Duration initial;
    private final Duration max;
    private final DoubleSupplier random;

    /** @param random values in [0, 1) */
    public Backoff(Duration initial, Duration max, DoubleSupplier random) {
        this.initial = initial;
        this.max = max;
        this.random = random;
    }

    public Duration beforeRetry(int retry) {
        double exponential = initial.toMillis() * Math.pow(2, Math.max(0, retry - 1));
        double capped = Math.min(exponential, max.toMillis());
        return Duration.ofMillis(Math.round(capped / 2 + random.getAsDouble() * capped / 2));
    }
}

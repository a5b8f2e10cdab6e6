package io.ocimirror.replication;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The state of one mirror as replication sees it. Closed: rewrite to it and replicate. After
 * {@code failureThreshold} failed calls in a row it opens: no rewrites, no replication, for {@code openDuration}.
 * Then the next replication attempt is let through as a probe (half-open): an answer closes it, a failure opens it
 * again for another period. Where no replication attempt ever comes (replication switched off, failures reported by
 * the pull-failure rescue only), it closes by itself once the open period has passed.
 */
final class CircuitBreaker {

    enum State { CLOSED, OPEN, HALF_OPEN }

    private final int failureThreshold;
    private final Duration openDuration;
    private final LongSupplier nanoClock;
    private final boolean probedByReplication;
    private State state = State.CLOSED;
    private int consecutiveFailures;
    private long openUntilNanos;

    /** @param probedByReplication whether replication attempts probe it; when not, it closes after the open period */
    CircuitBreaker(int failureThreshold, Duration openDuration, LongSupplier nanoClock, boolean probedByReplication) {
        this.failureThreshold = failureThreshold;
        this.openDuration = openDuration;
        this.nanoClock = nanoClock;
        this.probedByReplication = probedByReplication;
    }

    synchronized boolean allowsRewrite() {
        if (state == State.OPEN && !probedByReplication && nanoClock.getAsLong() - openUntilNanos >= 0) {
            answered();
        }
        return state == State.CLOSED;
    }

    /** Whether a replication attempt may run; the first one after the open period becomes the probe. */
    synchronized boolean allowsAttempt() {
        return switch (state) {
            case CLOSED -> true;
            case HALF_OPEN -> false;
            case OPEN -> {
                if (nanoClock.getAsLong() - openUntilNanos < 0) {
                    yield false;
                }
                state = State.HALF_OPEN;
                yield true;
            }
        };
    }

    /** Whether a new job would only be turned away: open and not yet due for a probe, or a probe running. */
    synchronized boolean turnsJobsAway() {
        return state == State.HALF_OPEN || (state == State.OPEN && nanoClock.getAsLong() - openUntilNanos < 0);
    }

    /** The mirror answered (successfully or with a definite error such as 404): it is up. */
    synchronized void answered() {
        state = State.CLOSED;
        consecutiveFailures = 0;
    }

    /** @return whether this failure opened the breaker */
    synchronized boolean failed() {
        consecutiveFailures++;
        if (state == State.HALF_OPEN || (state == State.CLOSED && consecutiveFailures >= failureThreshold)) {
            state = State.OPEN;
            openUntilNanos = nanoClock.getAsLong() + openDuration.toNanos();
            return true;
        }
        return false;
    }

    synchronized State state() {
        return state;
    }

    synchronized String describe() {
        return switch (state) {
            case CLOSED -> "available";
            case HALF_OPEN -> "probing after " + consecutiveFailures + " failed calls in a row";
            case OPEN -> "unavailable after " + consecutiveFailures + " failed calls in a row; next probe in "
                    + Math.max(0, (openUntilNanos - nanoClock.getAsLong()) / 1_000_000_000) + " s";
        };
    }
}

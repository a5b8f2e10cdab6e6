package io.ocimirror.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Polls a condition until it holds, bounded in time; the failure says what was awaited. */
public final class Await {

    private static final Duration POLL_INTERVAL = Duration.ofMillis(100);

    private Await() {
    }

    public static void until(Duration limit, BooleanSupplier condition, String what) {
        until(limit, condition, () -> what);
    }

    /** @param what computed only on failure, so it can describe the state at that moment */
    public static void until(Duration limit, BooleanSupplier condition, Supplier<String> what) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + limit + " waiting for " + what.get());
            }
            try {
                Thread.sleep(POLL_INTERVAL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what.get(), e);
            }
        }
    }
}

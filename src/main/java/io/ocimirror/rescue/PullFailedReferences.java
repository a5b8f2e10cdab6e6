package io.ocimirror.rescue;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The mirrored references that a kubelet recently failed to pull, each kept for a window after its last failure, at
 * most {@code capacity} of them (the oldest go first). Thread-safe.
 */
public final class PullFailedReferences {

    private final Cache<String, Boolean> failed;

    /**
     * @param capacity  how many references to keep at most
     * @param window    how long a failure is remembered
     * @param nanoClock the time source ({@link System#nanoTime} outside tests)
     */
    public PullFailedReferences(long capacity, Duration window, LongSupplier nanoClock) {
        this.failed = Caffeine.newBuilder()
                .maximumSize(capacity)
                .expireAfterWrite(window)
                .ticker(nanoClock::getAsLong)
                .executor(Runnable::run)
                .build();
    }

    public void remember(String reference) {
        failed.put(reference, Boolean.TRUE);
    }

    public boolean contains(String reference) {
        return failed.getIfPresent(reference) != null;
    }
}

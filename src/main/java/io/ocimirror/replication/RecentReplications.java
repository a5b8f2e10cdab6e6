package io.ocimirror.replication;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * References replicated successfully not long ago, so that every Pod of a rollout does not walk the same image
 * again. A digest names fixed content and is remembered for long; a tag can move and is remembered briefly; remembering
 * a reference again starts its window again. Holds at most {@code capacity} entries: beyond it Caffeine evicts by its
 * size policy (W-TinyLFU), which keeps the newest entry and those remembered often.
 */
final class RecentReplications {

    private final Cache<String, Boolean> expiries;

    /**
     * @param tagWindow    how long a reference by tag is remembered
     * @param digestWindow how long a reference by digest is remembered
     * @param nanoClock    the clock of both windows
     */
    RecentReplications(int capacity, Duration tagWindow, Duration digestWindow, LongSupplier nanoClock) {
        this.expiries = Caffeine.newBuilder()
                .maximumSize(capacity)
                .expireAfter(new WindowByKind(tagWindow.toNanos(), digestWindow.toNanos()))
                .ticker(nanoClock::getAsLong)
                // Evictions happen on the calling thread, so that the capacity holds when remember returns.
                .executor(Runnable::run)
                .build();
    }

    /** The value of an entry says whether it is a digest: its window follows. */
    private record WindowByKind(long tagNanos, long digestNanos) implements Expiry<String, Boolean> {

        @Override
        public long expireAfterCreate(String key, Boolean byDigest, long currentTime) {
            return byDigest ? digestNanos : tagNanos;
        }

        @Override
        public long expireAfterUpdate(String key, Boolean byDigest, long currentTime, long currentDuration) {
            return byDigest ? digestNanos : tagNanos;
        }

        @Override
        public long expireAfterRead(String key, Boolean byDigest, long currentTime, long currentDuration) {
            return currentDuration;
        }
    }

    void remember(String key, boolean byDigest) {
        expiries.put(key, byDigest);
    }

    boolean contains(String key) {
        return expiries.getIfPresent(key) != null;
    }

    /** Entries held, expired ones not yet cleaned up included until {@link Cache#cleanUp()} runs. */
    int size() {
        expiries.cleanUp();
        return (int) expiries.estimatedSize();
    }
}

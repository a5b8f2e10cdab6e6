package io.ocimirror.replication;

import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * References replicated successfully not long ago, so that every Pod of a rollout does not walk the same image
 * again. A digest names fixed content and is remembered for long; a tag can move and is remembered briefly. Holds at
 * most {@code capacity} entries, forgetting the oldest first.
 */
final class RecentReplications {

    private final int capacity;
    private final Duration tagWindow;
    private final Duration digestWindow;
    private final LongSupplier nanoClock;
    private final LinkedHashMap<String, Long> expiries = new LinkedHashMap<>();

    RecentReplications(int capacity, Duration tagWindow, Duration digestWindow, LongSupplier nanoClock) {
        this.capacity = capacity;
        this.tagWindow = tagWindow;
        this.digestWindow = digestWindow;
        this.nanoClock = nanoClock;
    }

    synchronized void remember(String key, boolean byDigest) {
        long now = nanoClock.getAsLong();
        expiries.remove(key);
        expiries.put(key, now + (byDigest ? digestWindow : tagWindow).toNanos());
        Iterator<Map.Entry<String, Long>> oldest = expiries.entrySet().iterator();
        while (expiries.size() > capacity && oldest.hasNext()) {
            oldest.next();
            oldest.remove();
        }
    }

    synchronized boolean contains(String key) {
        Long expiry = expiries.get(key);
        if (expiry == null) {
            return false;
        }
        if (expiry - nanoClock.getAsLong() <= 0) {
            expiries.remove(key);
            return false;
        }
        return true;
    }

    synchronized int size() {
        return expiries.size();
    }
}

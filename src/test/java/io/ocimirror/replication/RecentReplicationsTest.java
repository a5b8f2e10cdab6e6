package io.ocimirror.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RecentReplicationsTest {

    private final AtomicLong now = new AtomicLong();
    private final RecentReplications recent =
            new RecentReplications(3, Duration.ofMinutes(10), Duration.ofHours(24), now::get);

    @Test
    void remembersTagsBrieflyAndDigestsLong() {
        recent.remember("r/app:1", false);
        recent.remember("r/app@sha256:x", true);

        now.addAndGet(Duration.ofMinutes(10).toNanos());

        assertFalse(recent.contains("r/app:1"), "a tag may have moved after its window");
        assertTrue(recent.contains("r/app@sha256:x"));
        now.addAndGet(Duration.ofHours(24).toNanos());
        assertFalse(recent.contains("r/app@sha256:x"));
    }

    @Test
    void forgetsTheOldestBeyondItsCapacity() {
        for (int i = 1; i <= 5; i++) {
            recent.remember("r/app:" + i, false);
        }

        assertEquals(3, recent.size());
        assertFalse(recent.contains("r/app:1"));
        assertFalse(recent.contains("r/app:2"));
        assertTrue(recent.contains("r/app:5"));
    }

    @Test
    void refreshesAnEntryRememberedAgain() {
        recent.remember("r/app:1", false);
        recent.remember("r/app:2", false);
        recent.remember("r/app:3", false);
        recent.remember("r/app:1", false);
        recent.remember("r/app:4", false);

        assertTrue(recent.contains("r/app:1"), "re-remembered entries move to the young end");
        assertFalse(recent.contains("r/app:2"));
    }
}

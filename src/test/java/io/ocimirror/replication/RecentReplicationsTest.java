package io.ocimirror.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
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
    void holdsNoMoreThanItsCapacityAndKeepsTheNewest() {
        for (int i = 1; i <= 5; i++) {
            recent.remember("r/app:" + i, false);
        }

        assertEquals(3, recent.size());
        assertTrue(recent.contains("r/app:5"), "the newest entry is never the one evicted");
        assertEquals(3, IntStream.rangeClosed(1, 5).filter(i -> recent.contains("r/app:" + i)).count(),
                "two of the five are forgotten");
    }

    @Test
    void keepsAnEntryRememberedAgainOverEntriesRememberedOnce() {
        recent.remember("r/app:1", false);
        recent.remember("r/app:2", false);
        recent.remember("r/app:3", false);
        recent.remember("r/app:1", false);
        recent.remember("r/app:4", false);

        assertTrue(recent.contains("r/app:1"), "re-remembered entries are the last evicted");
        assertEquals(3, recent.size());
    }

    @Test
    void rememberingAgainStartsTheWindowAgain() {
        recent.remember("r/app:1", false);
        now.addAndGet(Duration.ofMinutes(6).toNanos());
        recent.remember("r/app:1", false);

        now.addAndGet(Duration.ofMinutes(6).toNanos());

        assertTrue(recent.contains("r/app:1"), "12 minutes after the first success, 6 after the second");
        now.addAndGet(Duration.ofMinutes(4).toNanos());
        assertFalse(recent.contains("r/app:1"));
        assertEquals(0, recent.size(), "an expired entry is cleaned up");
    }
}

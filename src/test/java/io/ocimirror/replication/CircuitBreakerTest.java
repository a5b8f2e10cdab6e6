package io.ocimirror.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ocimirror.replication.CircuitBreaker.State;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {

    private final AtomicLong now = new AtomicLong();
    private final CircuitBreaker breaker = new CircuitBreaker(3, Duration.ofSeconds(60), now::get, true);

    @Test
    void opensAfterTheThresholdOfFailuresInARow() {
        assertFalse(breaker.failed());
        assertFalse(breaker.failed());
        breaker.answered();
        assertFalse(breaker.failed(), "an answer in between resets the count");
        assertFalse(breaker.failed());

        assertTrue(breaker.failed());

        assertEquals(State.OPEN, breaker.state());
        assertFalse(breaker.allowsRewrite());
        assertTrue(breaker.turnsJobsAway());
        assertFalse(breaker.allowsAttempt());
    }

    @Test
    void letsOneProbeThroughAfterTheOpenPeriodAndClosesOnAnAnswer() {
        open();
        now.addAndGet(Duration.ofSeconds(59).toNanos());
        assertFalse(breaker.allowsAttempt());

        now.addAndGet(Duration.ofSeconds(1).toNanos());

        assertFalse(breaker.turnsJobsAway(), "a job may come in to be the probe");
        assertTrue(breaker.allowsAttempt(), "the probe");
        assertTrue(breaker.turnsJobsAway(), "while the probe runs");
        assertFalse(breaker.allowsAttempt(), "only one probe at a time");
        assertFalse(breaker.allowsRewrite(), "no rewrites until the probe succeeds");
        breaker.answered();
        assertEquals(State.CLOSED, breaker.state());
        assertTrue(breaker.allowsRewrite());
    }

    @Test
    void opensAgainWhenTheProbeFails() {
        open();
        now.addAndGet(Duration.ofSeconds(60).toNanos());
        assertTrue(breaker.allowsAttempt());

        assertTrue(breaker.failed());

        assertEquals(State.OPEN, breaker.state());
        assertFalse(breaker.allowsAttempt());
        assertTrue(breaker.describe().startsWith("unavailable after 4 failed calls in a row"), breaker.describe());
    }

    @Test
    void closesByItselfAfterTheOpenPeriodWhenNoReplicationProbesIt() {
        CircuitBreaker unprobed = new CircuitBreaker(3, Duration.ofSeconds(60), now::get, false);
        unprobed.failed();
        unprobed.failed();
        unprobed.failed();
        now.addAndGet(Duration.ofSeconds(59).toNanos());
        assertFalse(unprobed.allowsRewrite(), "still open within the period");

        now.addAndGet(Duration.ofSeconds(1).toNanos());

        assertTrue(unprobed.allowsRewrite(), "rewrites again once the period has passed");
        assertEquals(State.CLOSED, unprobed.state());
        assertFalse(unprobed.failed(), "the count of failures starts again");
    }

    private void open() {
        breaker.failed();
        breaker.failed();
        breaker.failed();
        assertEquals(State.OPEN, breaker.state());
    }
}

package io.ocimirror.replication;

/**
 * The clock and the retry timer of replication, one CDI bean so that a test can replace both together: a test's
 * timer that skips a backoff has to move the clock on by as much, or the windows and the breakers read from it would
 * not see the wait. The application's is {@link ScheduledReplicationTime}.
 */
interface ReplicationTime extends RetryTimer {

    /**
     * @return nanoseconds of a monotonic clock, like {@link System#nanoTime()}: only the difference of two readings
     *         means anything
     */
    long nanoTime();
}

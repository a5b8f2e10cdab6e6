package io.ocimirror.replication;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock that runs with real time plus the waits a test skipped, and a {@link RetryTimer} whose waits the test
 * skips: {@link #runNext} advances the clock by the task's delay and runs it at once. So a retry test measures what
 * the calls really took plus the backoff they would have waited, in the time the calls take. In a
 * {@code @QuarkusTest} it is the application's replication time as {@link TestReplicationTime}.
 */
class VirtualTime implements ReplicationTime {

    private record Scheduled(Runnable task, Duration delay) {
    }

    private static final long POLL_MILLIS = 2;

    private final AtomicLong skippedNanos = new AtomicLong();
    private final BlockingQueue<Scheduled> scheduled = new LinkedBlockingQueue<>();

    @Override
    public long nanoTime() {
        return System.nanoTime() + skippedNanos.get();
    }

    @Override
    public void schedule(Runnable task, Duration delay) {
        scheduled.add(new Scheduled(task, delay));
    }

    /**
     * Waits, in real time and at most {@code limit}, until a task is scheduled; does not run it.
     *
     * @return whether one is
     */
    boolean awaitScheduled(Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (scheduled.isEmpty() && System.nanoTime() - deadline < 0) {
            Thread.sleep(POLL_MILLIS);
        }
        return !scheduled.isEmpty();
    }

    /** Lets time pass without running anything. */
    void advance(Duration duration) {
        skippedNanos.addAndGet(duration.toNanos());
    }

    /** The delay of the first scheduled task. */
    Duration nextDelay() {
        return scheduled.element().delay();
    }

    /** Skips the delay of the first scheduled task and runs it. */
    void runNext() {
        Scheduled next = scheduled.remove();
        skippedNanos.addAndGet(next.delay().toNanos());
        next.task().run();
    }
}

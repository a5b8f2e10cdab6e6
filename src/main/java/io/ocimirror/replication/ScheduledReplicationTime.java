package io.ocimirror.replication;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Real time for replication: {@link System#nanoTime()}, and retries run by one daemon thread after their delay
 * (millisecond resolution). Stopped when the application ends, after {@link ReplicationQueue}'s drain has ended the
 * jobs waiting on it.
 */
@ApplicationScoped
class ScheduledReplicationTime implements ReplicationTime {

    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(ReplicationQueue.daemon("replication-retry"));

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public void schedule(Runnable task, Duration delay) {
        timer.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Abandons the retries still waiting; a retry scheduled afterwards is rejected. */
    @PreDestroy
    void stop() {
        timer.shutdownNow();
    }
}

package io.ocimirror.replication;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;

/** Runs a task after a delay, off the worker threads; tests run it when they choose. */
interface RetryTimer {

    /** @throws RejectedExecutionException once the timer has shut down */
    void schedule(Runnable task, Duration delay);
}

package io.ocimirror.rescue;

import java.time.Duration;
import java.time.Instant;

/** The rescue's clock and its way to look again later; tests move both by hand. */
public interface RescueTimer {

    Instant now();

    /** Runs a task once after a delay, off the informer's thread. */
    void schedule(Runnable task, Duration delay);
}

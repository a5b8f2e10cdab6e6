package io.ocimirror.rescue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A {@link RescueTimer} whose clock moves only when the test says, and runs tasks that are due then. */
class ManualTimer implements RescueTimer {

    private record Task(Runnable task, Instant due) {
    }

    private final List<Task> tasks = new ArrayList<>();
    private Instant now;

    ManualTimer(Instant start) {
        this.now = start;
    }

    @Override
    public synchronized Instant now() {
        return now;
    }

    @Override
    public synchronized void schedule(Runnable task, Duration delay) {
        tasks.add(new Task(task, now.plus(delay)));
    }

    synchronized void advance(Duration duration) {
        now = now.plus(duration);
    }

    /** Moves the clock on and runs every task due by then, in the caller's thread. */
    void advanceAndRun(Duration duration) {
        advance(duration);
        runDue();
    }

    void runDue() {
        List<Task> due = new ArrayList<>();
        synchronized (this) {
            tasks.removeIf(t -> {
                if (!t.due().isAfter(now)) {
                    due.add(t);
                    return true;
                }
                return false;
            });
        }
        due.forEach(t -> t.task().run());
    }

    /** How many tasks wait for the clock to move (not those due already). */
    synchronized int waiting() {
        return (int) tasks.stream().filter(t -> t.due().isAfter(now)).count();
    }
}

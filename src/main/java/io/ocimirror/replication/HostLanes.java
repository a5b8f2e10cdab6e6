package io.ocimirror.replication;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * Caps how many tasks run against one host at once. A task over the cap waits in its host's lane without holding a
 * thread, so a slow mirror host cannot starve the others; when a task ends, the next one of its lane starts. A task
 * the executor rejects (it has shut down) goes to the rejection handler instead of running.
 *
 * @param <T> the task
 */
final class HostLanes<T> {

    private final int perHost;
    private final Executor threads;
    private final Consumer<T> run;
    private final Consumer<T> rejected;
    private final Map<String, Lane<T>> lanes = new HashMap<>();

    private static final class Lane<T> {
        int running;
        final Queue<T> waiting = new ArrayDeque<>();
    }

    HostLanes(int perHost, Executor threads, Consumer<T> run, Consumer<T> rejected) {
        this.perHost = perHost;
        this.threads = threads;
        this.run = run;
        this.rejected = rejected;
    }

    /** Runs the task now if its host has room, else when a task of the same host ends. */
    void submit(String host, T task) {
        synchronized (lanes) {
            Lane<T> lane = lanes.computeIfAbsent(host, h -> new Lane<>());
            if (lane.running >= perHost) {
                lane.waiting.add(task);
                return;
            }
            lane.running++;
        }
        execute(host, task);
    }

    private void execute(String host, T task) {
        T next = task;
        while (next != null) {
            T current = next;
            try {
                threads.execute(() -> {
                    try {
                        run.accept(current);
                    } finally {
                        execute(host, done(host));
                    }
                });
                return;
            } catch (RejectedExecutionException shutDown) {
                rejected.accept(current);
                next = done(host);
            }
        }
    }

    /** Ends one running task of the host; returns the next one to run in its place, if any. */
    private T done(String host) {
        synchronized (lanes) {
            Lane<T> lane = lanes.get(host);
            T next = lane.waiting.poll();
            if (next == null && --lane.running == 0) {
                lanes.remove(host);
            }
            return next;
        }
    }
}

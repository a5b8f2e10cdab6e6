package io.ocimirror.replication;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.Executor;

/**
 * Caps how many jobs run against one host at once. A job over the cap waits in its host's lane without holding a
 * worker, so a slow mirror cannot starve the others; when a job finishes, the next one of its lane starts.
 */
final class HostLanes {

    private final int perHost;
    private final Executor workers;
    private final Map<String, Lane> lanes = new HashMap<>();

    private static final class Lane {
        int running;
        final Queue<Runnable> waiting = new ArrayDeque<>();
    }

    HostLanes(int perHost, Executor workers) {
        this.perHost = perHost;
        this.workers = workers;
    }

    /** Runs the task now if its host has room, else when a task of the same host {@linkplain #done finishes}. */
    void submit(String host, Runnable task) {
        synchronized (lanes) {
            Lane lane = lanes.computeIfAbsent(host, h -> new Lane());
            if (lane.running >= perHost) {
                lane.waiting.add(task);
                return;
            }
            lane.running++;
        }
        workers.execute(task);
    }

    /** Every submitted task calls this once when it ends. */
    void done(String host) {
        Runnable next;
        synchronized (lanes) {
            Lane lane = lanes.get(host);
            next = lane.waiting.poll();
            if (next == null && --lane.running == 0) {
                lanes.remove(host);
            }
        }
        if (next != null) {
            workers.execute(next);
        }
    }
}

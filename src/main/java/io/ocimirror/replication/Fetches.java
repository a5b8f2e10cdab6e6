package io.ocimirror.replication;

import io.ocimirror.registry.RegistryAccessException.Failure;
import io.ocimirror.registry.RegistryAccessException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.Semaphore;

/**
 * Runs the registry calls of walks concurrently within two bounds: at most {@code perJob} calls of one walk at once,
 * and at most {@code perHost} calls against one mirror host at once across all walks (a flood of jobs cannot open
 * more). The walk's own thread takes both permits before a call starts; the call then runs on a thread of the given
 * executor, which must never queue a task: it starts it on a free thread or runs it on the calling thread (see
 * {@link ReplicationQueue.Threads}). So every call holding a host permit is running, and it gives the permit back
 * when it ends, however it ends. No lock is held while a call runs.
 */
final class Fetches {

    private final Executor threads;
    private final int perJob;
    private final int perHost;
    private final WarmedBlobs warmed;
    /** One entry per mirror host replication was configured for: bounded by the configuration. */
    private final Map<String, Semaphore> connections = new ConcurrentHashMap<>();

    /**
     * @param threads runs calls; starts each at once or on the caller's thread, never queues it
     * @param perJob  calls of one walk at once, at least 1
     * @param perHost calls against one mirror host at once, at least 1
     * @param warmed  blobs warmed recently, not fetched again
     */
    Fetches(Executor threads, int perJob, int perHost, WarmedBlobs warmed) {
        if (perJob < 1 || perHost < 1) {
            throw new IllegalArgumentException("per-job and per-host bounds must be at least 1: " + perJob + ", "
                    + perHost);
        }
        this.threads = threads;
        this.perJob = perJob;
        this.perHost = perHost;
        this.warmed = warmed;
    }

    /** One call at a time on the caller's thread, nothing remembered between walks. */
    static Fetches sequential() {
        return new Fetches(Runnable::run, 1, 1, WarmedBlobs.none());
    }

    /** The calls of one walk through the given mirror host; used by that walk's thread only. */
    Scope scope(String host) {
        return new Scope(host, connections.computeIfAbsent(host, h -> new Semaphore(perHost, true)));
    }

    /** The calls one walk started and has not yet seen end. */
    final class Scope {

        private final String host;
        private final Semaphore hostPermits;
        private final Deque<FutureTask<?>> started = new ArrayDeque<>();

        private Scope(String host, Semaphore hostPermits) {
            this.host = host;
            this.hostPermits = hostPermits;
        }

        String host() {
            return host;
        }

        WarmedBlobs warmed() {
            return warmed;
        }

        /**
         * Starts a call once the walk and the host have room; waits for that.
         *
         * @throws RegistryAccessException {@link Failure#UNREACHABLE} when interrupted while waiting (shutdown)
         */
        <T> Future<T> start(Callable<T> call) throws RegistryAccessException {
            started.removeIf(Future::isDone);
            while (started.size() >= perJob) {
                awaitEnd(started.removeFirst());
            }
            try {
                hostPermits.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RegistryAccessException(Failure.UNREACHABLE, "interrupted waiting for a connection to "
                        + host);
            }
            FutureTask<T> task = new FutureTask<>(() -> {
                try {
                    return call.call();
                } finally {
                    hostPermits.release();
                }
            });
            started.add(task);
            threads.execute(task);
            return task;
        }

        /** Waits for every call this walk started (each is bounded by the call timeouts). */
        void awaitAll() {
            while (!started.isEmpty()) {
                awaitEnd(started.removeFirst());
            }
        }
    }

    /**
     * The result of a started call: its value, or the registry failure it threw.
     *
     * @throws RegistryAccessException what the call threw
     */
    static <T> T result(Future<T> call) throws RegistryAccessException {
        awaitEnd(call);
        try {
            return call.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RegistryAccessException failure) {
                throw failure;
            }
            if (e.getCause() instanceof RuntimeException unexpected) {
                throw unexpected;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            throw new IllegalStateException("the call has ended", e);
        }
    }

    /** Waits for the call to end; an interrupt is kept for the caller, as the call itself ends within its timeouts. */
    private static void awaitEnd(Future<?> call) {
        boolean interrupted = false;
        while (!call.isDone()) {
            try {
                call.get();
            } catch (InterruptedException e) {
                interrupted = true;
            } catch (ExecutionException | CancellationException ended) {
                break;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}

package io.ocimirror.replication;

import io.micrometer.core.instrument.MeterRegistry;
import io.ocimirror.rewrite.ReplicationRequest;
import io.ocimirror.rewrite.ReplicationScheduler;
import io.ocimirror.settings.WebhookSettings;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;

/**
 * The admission-facing side of replication: a bounded, de-duplicating queue in front of the
 * {@link ReplicationWorker}. {@link #schedule} never blocks: a job already in flight or done recently is dropped as a
 * duplicate, a job that gave up recently is not started again for {@code failed-window}, and when
 * {@code queue-capacity} jobs are waiting, running or between retries, a new one is dropped and counted.
 */
@ApplicationScoped
public class ReplicationQueue implements ReplicationScheduler {

    private static final Logger LOG = Logger.getLogger(ReplicationQueue.class);
    /** Idle threads above {@code workers} end after this long. */
    private static final long IDLE_THREAD_SECONDS = 30;
    private static final long DRAIN_POLL_MILLIS = 50;

    private final WebhookSettings.Replication settings;
    private final MirrorHealth health;
    private final ReplicationMetrics metrics;
    private final ReplicationWorker worker;
    private final LongSupplier nanoClock;
    private final RecentReplications recent;
    private final RecentReplications recentFailures;
    private final EndedJobs endedJobs = new EndedJobs();
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private final AtomicInteger outstanding = new AtomicInteger();
    private final Runnable stopThreads;
    private volatile boolean closed;

    /**
     * Threads: {@code workers} kept ready, more started when every one is busy; the host lanes cap them at
     * {@code per-host-concurrency} per mirror host, so a dead mirror host never takes the threads of another. Retries
     * wait on {@code time}, which is also the clock of the windows and of job durations.
     */
    @Inject
    public ReplicationQueue(WebhookSettings settings, RegistryClients registries, ReplicationReporter reporter,
            MirrorHealth health, MeterRegistry meters, ReplicationTime time) {
        this(settings, registries, reporter, health, meters, Threads.start(settings.replication(), time),
                time::nanoTime, () -> ThreadLocalRandom.current().nextDouble());
    }

    ReplicationQueue(WebhookSettings settings, RegistryClients registries, ReplicationReporter reporter,
            MirrorHealth health, MeterRegistry meters, Threads threads, LongSupplier nanoClock,
            DoubleSupplier random) {
        this.settings = settings.replication();
        this.health = health;
        this.nanoClock = nanoClock;
        this.metrics = new ReplicationMetrics(meters, outstanding::get);
        this.recent = new RecentReplications(this.settings.recentCapacity(), this.settings.tagWindow(),
                this.settings.digestWindow(), nanoClock);
        this.recentFailures = new RecentReplications(this.settings.recentCapacity(), this.settings.failedWindow(),
                this.settings.failedWindow(), nanoClock);
        this.stopThreads = threads.stop();
        Fetches fetches = new Fetches(threads.fetches(), this.settings.perJobConcurrency(),
                this.settings.perHostConnections(), new WarmedBlobs(this.settings.warmedBlobWindow(),
                        this.settings.warmedBlobCapacity(), nanoClock));
        this.worker = new ReplicationWorker(this.settings, registries, reporter, health, metrics, threads.workers(),
                fetches, threads.timer(), nanoClock, new Backoff(this.settings.initialBackoff(), this.settings.maxBackoff(), random),
                this::ended);
    }

    /**
     * Where jobs run and wait.
     *
     * @param workers runs attempts
     * @param fetches runs the registry calls of walks: starts each at once or on the caller's thread, never queues
     * @param timer   runs retries after their backoff
     * @param stop    stops the threads, abandoning what waits; the timer too when it is theirs
     */
    record Threads(Executor workers, Executor fetches, RetryTimer timer, Runnable stop) {

        /** Walks make one call at a time, on their job's thread. */
        Threads(Executor workers, RetryTimer timer, Runnable stop) {
            this(workers, Runnable::run, timer, stop);
        }

        /**
         * The fetch threads are bounded: {@code workers × per-job-concurrency} at most, ended when idle; a call
         * that finds them all busy runs on its job's thread (which then starts no further call until it ends).
         */
        static Threads start(WebhookSettings.Replication settings, RetryTimer timer) {
            ExecutorService pool = new ThreadPoolExecutor(settings.workers(), Integer.MAX_VALUE, IDLE_THREAD_SECONDS,
                    TimeUnit.SECONDS, new SynchronousQueue<>(), daemon("replication-worker"));
            ExecutorService fetches = new ThreadPoolExecutor(0, settings.workers() * settings.perJobConcurrency(),
                    IDLE_THREAD_SECONDS, TimeUnit.SECONDS, new SynchronousQueue<>(), daemon("replication-fetch"),
                    (call, full) -> call.run());
            return new Threads(pool, fetches, timer, () -> {
                pool.shutdownNow();
                fetches.shutdownNow();
            });
        }

        /** As {@link #start(WebhookSettings.Replication, RetryTimer)}, with a real retry timer of their own. */
        static Threads start(WebhookSettings.Replication settings) {
            ScheduledReplicationTime timer = new ScheduledReplicationTime();
            Threads threads = start(settings, timer);
            return new Threads(threads.workers(), threads.fetches(), timer, () -> {
                timer.stop();
                threads.stop().run();
            });
        }
    }

    @Override
    public void schedule(ReplicationRequest request) {
        String key = key(request);
        if (!settings.enabled()) {
            metrics.job(request, JobOutcome.DISABLED);
            return;
        }
        if (closed) {
            metrics.job(request, JobOutcome.DROPPED);
            return;
        }
        if (health.turnsJobsAway(request)) {
            metrics.job(request, JobOutcome.MIRROR_UNAVAILABLE);
            return;
        }
        if (recentFailures.contains(key)) {
            metrics.job(request, JobOutcome.RECENTLY_FAILED);
            return;
        }
        if (recent.contains(key) || !inFlight.add(key)) {
            metrics.job(request, JobOutcome.DEDUPLICATED);
            return;
        }
        if (outstanding.incrementAndGet() > settings.queueCapacity()) {
            outstanding.decrementAndGet();
            inFlight.remove(key);
            metrics.job(request, JobOutcome.DROPPED);
            LOG.debugf("Replication queue full (%d); dropped %s", settings.queueCapacity(), key);
            return;
        }
        worker.start(new ReplicationJob(request, key, nanoClock.getAsLong(), 1));
    }

    /** Jobs waiting, running or between retries; a job leaves it after its outcome is counted. */
    public int depth() {
        return outstanding.get();
    }

    /** The last jobs that ended, newest first. */
    public EndedJobs endedJobs() {
        return endedJobs;
    }

    /**
     * @param request a reference to warm
     * @return whether a job of it gave up within {@code failed-window}, so that scheduling it now is turned away
     */
    public boolean failedRecently(ReplicationRequest request) {
        return recentFailures.contains(key(request));
    }

    /**
     * A reference warmed for some platforms is not warmed for others, nor is one warmed without its referrers warmed
     * with them: the platforms and the mirror's referrers setting are part of the job.
     */
    private static String key(ReplicationRequest request) {
        return request.reference() + " " + request.configuration().replication().platforms()
                + (request.mirror().referrers() ? " with referrers" : "");
    }

    private void ended(ReplicationJob job, JobOutcome outcome, long bytes) {
        endedJobs.add(EndedJob.of(job, outcome, Instant.now(), bytes));
        if (outcome == JobOutcome.SUCCEEDED || outcome == JobOutcome.NO_MATCHING_VERSION) {
            recent.remember(job.key(), job.request().reference().digest().isPresent());
        } else if (outcome.gaveUp()) {
            recentFailures.remember(job.key(), true);
        }
        inFlight.remove(job.key());
        metrics.job(job.request(), outcome);
        metrics.duration(job, outcome, nanoClock.getAsLong() - job.startNanos());
        // Last: a queue of depth 0 has counted every outcome, so whoever waits for it reads them all.
        outstanding.decrementAndGet();
    }

    /** Stops taking jobs and retrying, lets running ones finish for the drain timeout, then stops the threads. */
    void drain(@Observes ShutdownEvent event) {
        closed = true;
        worker.close();
        long deadline = System.nanoTime() + settings.drainTimeout().toNanos();
        while (outstanding.get() > 0 && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(DRAIN_POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (outstanding.get() > 0) {
            LOG.infof("Shutting down with %d replication jobs unfinished", outstanding.get());
        }
        stopThreads.run();
    }

    static ThreadFactory daemon(String name) {
        AtomicInteger number = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + number.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}

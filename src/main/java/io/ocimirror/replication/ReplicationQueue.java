package io.ocimirror.replication;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.ocimirror.config.MirrorConfiguration.Replication;
import io.ocimirror.config.WebhookSettings;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * The replication engine behind {@link ReplicationScheduler}: a bounded, de-duplicating queue in front of worker
 * threads. {@link #schedule} never blocks: a job already in flight or done recently is dropped as a duplicate, and
 * when {@code queue-capacity} jobs are waiting, running or between retries, a new one is dropped and counted.
 * Retries wait on a timer, not on a worker, so a dead mirror holds no threads.
 */
@ApplicationScoped
public class ReplicationQueue implements ReplicationScheduler {

    private static final Logger LOG = Logger.getLogger(ReplicationQueue.class);
    static final String JOBS_METRIC = "oci_mirror_replication_jobs";
    static final String DURATION_METRIC = "oci_mirror_replication_duration";
    static final String BYTES_METRIC = "oci_mirror_replication_bytes";
    static final String RETRIES_METRIC = "oci_mirror_replication_retries";
    static final String DEPTH_METRIC = "oci_mirror_replication_queue_depth";

    private final WebhookSettings.Replication settings;
    private final RegistryAccessFactory registries;
    private final GiveUpReporter giveUps;
    private final MirrorHealth health;
    private final MeterRegistry meters;
    private final ExecutorService workers;
    private final ScheduledExecutorService retryTimer;
    private final HostLanes lanes;
    private final Backoff backoff;
    private final RecentReplications recent;
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private final AtomicInteger outstanding = new AtomicInteger();
    private volatile boolean closed;

    public ReplicationQueue(WebhookSettings settings, RegistryAccessFactory registries, GiveUpReporter giveUps,
            MirrorHealth health, MeterRegistry meters) {
        this.settings = settings.replication();
        this.registries = registries;
        this.giveUps = giveUps;
        this.health = health;
        this.meters = meters;
        this.workers = Executors.newFixedThreadPool(this.settings.workers(), daemon("replication-worker"));
        this.retryTimer = Executors.newSingleThreadScheduledExecutor(daemon("replication-retry"));
        this.lanes = new HostLanes(this.settings.perHostConcurrency(), workers);
        this.backoff = new Backoff(this.settings.initialBackoff(), this.settings.maxBackoff(),
                () -> ThreadLocalRandom.current().nextDouble());
        this.recent = new RecentReplications(this.settings.recentCapacity(), this.settings.tagWindow(),
                this.settings.digestWindow(), System::nanoTime);
        Gauge.builder(DEPTH_METRIC, outstanding, AtomicInteger::get)
                .description("Replication jobs waiting, running or between retries")
                .register(meters);
    }

    /** One reference to replicate and how far it got. */
    private record Job(ReplicationRequest request, String key, long startNanos, int attempt) {

        String host() {
            return request.mirror().replicationHost();
        }

        String mirror() {
            return request.mirror().sourceRegistry();
        }

        Job nextAttempt() {
            return new Job(request, key, startNanos, attempt + 1);
        }
    }

    @Override
    public void schedule(ReplicationRequest request) {
        String key = key(request);
        String mirror = request.mirror().sourceRegistry();
        if (!settings.enabled()) {
            count(mirror, "disabled");
            return;
        }
        if (closed) {
            count(mirror, "dropped");
            return;
        }
        if (health.turnsJobsAway(request)) {
            count(mirror, "mirror-unavailable");
            return;
        }
        if (recent.contains(key) || !inFlight.add(key)) {
            count(mirror, "deduplicated");
            return;
        }
        if (outstanding.incrementAndGet() > settings.queueCapacity()) {
            outstanding.decrementAndGet();
            inFlight.remove(key);
            count(mirror, "dropped");
            LOG.debugf("Replication queue full (%d); dropped %s", settings.queueCapacity(), key);
            return;
        }
        submit(new Job(request, key, System.nanoTime(), 1));
    }

    /** Jobs waiting, running or between retries. */
    public int depth() {
        return outstanding.get();
    }

    /** A reference warmed for some platforms is not warmed for others: the platforms are part of the job. */
    private static String key(ReplicationRequest request) {
        return request.reference() + " " + request.configuration().replication().platforms();
    }

    private void submit(Job job) {
        lanes.submit(job.host(), () -> {
            try {
                attempt(job);
            } finally {
                lanes.done(job.host());
            }
        });
    }

    private void attempt(Job job) {
        Replication replication = job.request().configuration().replication();
        if (!health.allowsAttempt(job.request())) {
            finish(job, "mirror-unavailable");
            return;
        }
        try {
            RegistryAccess access = registries.forMirror(job.request().mirror(), job.request().configuration());
            RegistryWalk.Result result = RegistryWalk.walk(access, job.request().reference(), replication);
            meters.counter(BYTES_METRIC, "mirror", job.mirror()).increment(result.bytes());
            recent.remember(job.key(), job.request().reference().digest().isPresent());
            health.replicated(job.request());
            LOG.debugf("Replicated %s: %d manifests, %d blobs, %d bytes", job.key(), result.manifests(),
                    result.blobs(), result.bytes());
            finish(job, "succeeded");
        } catch (RegistryAccessException e) {
            if (e.failure() == RegistryAccessException.Failure.UNAVAILABLE) {
                health.unavailable(job.request());
            } else {
                health.answered(job.request());
            }
            retryOrGiveUp(job, e);
        } catch (RuntimeException e) {
            health.unavailable(job.request());
            LOG.errorf(e, "Replication of %s failed unexpectedly", job.key());
            giveUp(job, "unexpected error: " + e);
        }
    }

    private void retryOrGiveUp(Job job, RegistryAccessException failure) {
        if (!failure.retryable() || job.attempt() >= settings.attempts() || closed) {
            giveUp(job, failure.getMessage() + " (attempt " + job.attempt() + " of " + settings.attempts() + ")");
            return;
        }
        Duration delay = backoff.beforeRetry(job.attempt());
        LOG.infof("Replication of %s failed (%s); retry %d in %d ms", job.key(), failure.getMessage(),
                job.attempt(), delay.toMillis());
        meters.counter(RETRIES_METRIC, "mirror", job.mirror()).increment();
        retryTimer.schedule(() -> submit(job.nextAttempt()), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void giveUp(Job job, String reason) {
        LOG.errorf("Replication of %s through %s gave up: %s", job.key(), job.host(), reason);
        finish(job, "failed");
        giveUps.report(job.request(), reason);
    }

    private void finish(Job job, String outcome) {
        inFlight.remove(job.key());
        outstanding.decrementAndGet();
        count(job.mirror(), outcome);
        Timer.builder(DURATION_METRIC)
                .description("Time from accepting a replication job to its end, retries included")
                .tags("mirror", job.mirror(), "outcome", outcome)
                .register(meters)
                .record(System.nanoTime() - job.startNanos(), TimeUnit.NANOSECONDS);
    }

    private void count(String mirror, String outcome) {
        meters.counter(JOBS_METRIC, "mirror", mirror, "outcome", outcome).increment();
    }

    /** Stops taking jobs, lets running and queued ones finish for the drain timeout, then stops the workers. */
    void drain(@Observes ShutdownEvent event) {
        closed = true;
        long deadline = System.nanoTime() + settings.drainTimeout().toNanos();
        while (outstanding.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (outstanding.get() > 0) {
            LOG.warnf("Shutting down with %d replication jobs unfinished", outstanding.get());
        }
        retryTimer.shutdownNow();
        workers.shutdownNow();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger number = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + number.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}

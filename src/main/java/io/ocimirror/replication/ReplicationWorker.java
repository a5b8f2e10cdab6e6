package io.ocimirror.replication;

import io.ocimirror.config.MirrorConfiguration.ReplicationScope;
import io.ocimirror.registry.RegistryAccess;
import io.ocimirror.registry.RegistryAccessException.Failure;
import io.ocimirror.registry.RegistryAccessException;
import io.ocimirror.rewrite.ReplicationRequest.ArtifactKind;
import io.ocimirror.rewrite.ReplicationRequest;
import io.ocimirror.settings.WebhookSettings;
import io.ocimirror.text.ReadableBytes;
import io.ocimirror.text.ReadableDuration;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Runs replication jobs: walks each reference through its mirror, classifies a failure and decides the retry. Only
 * failures of the mirror itself count against its breaker; a reference the mirror does not have or may not serve
 * (404, 401) fails at once; a 429 waits for its {@code Retry-After} (capped at the maximum backoff). Jobs run in
 * per-host lanes, so a dead mirror host holds no thread another host's jobs need; a job's walk fetches on the bounded
 * fetch threads of {@link Fetches}, within its per-job and per-host bounds. When the job's mirror sets
 * {@code replication.referrers} (its own or the top-level default), a job whose image was warmed then warms its
 * referrers ({@link ReferrersWalk}); what they do never fails the job and never counts against the breaker.
 */
final class ReplicationWorker {

    private static final Logger LOG = Logger.getLogger(ReplicationWorker.class);

    /** Called once per job when it ends. */
    interface Ending {
        /** @param bytes blob bytes the job fetched through the mirror */
        void ended(ReplicationJob job, JobOutcome outcome, long bytes);

        /** A job that fetched nothing. */
        default void ended(ReplicationJob job, JobOutcome outcome) {
            ended(job, outcome, 0);
        }
    }

    private final WebhookSettings.Replication settings;
    private final RegistryClients registries;
    private final ReplicationReporter reporter;
    private final MirrorHealth health;
    private final ReplicationMetrics metrics;
    private final HostLanes<ReplicationJob> lanes;
    private final Fetches fetches;
    private final RetryTimer timer;
    /** The queue's clock, which set {@link ReplicationJob#startNanos()}. */
    private final LongSupplier nanoClock;
    private final Backoff backoff;
    private final Ending ending;
    /**
     * Jobs between retries, so that a shutdown can end them instead of leaving them on the timer. Guards
     * {@link #closed} too: a job is either added before the shutdown (and ended by it) or ended at once.
     */
    private final Set<ReplicationJob> waitingForRetry = new HashSet<>();
    private volatile boolean closed;

    ReplicationWorker(WebhookSettings.Replication settings, RegistryClients registries,
            ReplicationReporter reporter, MirrorHealth health, ReplicationMetrics metrics, Executor threads,
            Fetches fetches, RetryTimer timer, LongSupplier nanoClock, Backoff backoff, Ending ending) {
        this.settings = settings;
        this.registries = registries;
        this.reporter = reporter;
        this.health = health;
        this.metrics = metrics;
        this.lanes = new HostLanes<>(settings.perHostConcurrency(), threads, this::attempt,
                job -> ending.ended(job, JobOutcome.DROPPED));
        this.fetches = fetches;
        this.timer = timer;
        this.nanoClock = nanoClock;
        this.backoff = backoff;
        this.ending = ending;
    }

    /** Starts the job in its host's lane; ends it as {@code dropped} once the threads have shut down. */
    void start(ReplicationJob job) {
        lanes.submit(job.host(), job);
    }

    /** Stops retrying: jobs waiting for a retry end now, failures from now on end their jobs. */
    void close() {
        List<ReplicationJob> waiting;
        synchronized (waitingForRetry) {
            closed = true;
            waiting = List.copyOf(waitingForRetry);
            waitingForRetry.clear();
        }
        waiting.forEach(job -> ending.ended(job, JobOutcome.DROPPED));
    }

    private void attempt(ReplicationJob job) {
        ReplicationRequest request = job.request();
        if (!health.allowsAttempt(request)) {
            ending.ended(job, JobOutcome.MIRROR_UNAVAILABLE);
            return;
        }
        RegistryWalk.Result result;
        ChartVersionResolution.Resolved walked;
        Optional<ReferrersWalk.Result> referrers;
        try {
            RegistryAccess registry = registries.forMirror(request.mirror(), request.owner());
            ChartVersionResolution resolution = request.kind() == ArtifactKind.HELM_CHART
                    ? ChartVersionResolution.resolve(registry, request.reference())
                    : new ChartVersionResolution.Resolved(request.reference(), Optional.empty());
            if (resolution instanceof ChartVersionResolution.NoMatchingVersion none) {
                health.answered(request);
                noMatchingVersion(job, none);
                return;
            }
            walked = (ChartVersionResolution.Resolved) resolution;
            ReplicationScope scope = request.configuration().replication();
            Fetches.Scope calls = fetches.scope(job.host());
            result = RegistryWalk.walk(registry, walked.reference(), scope, calls);
            // After the image, never instead of it: what its referrers do cannot fail the job.
            referrers = request.mirror().referrers()
                    ? Optional.of(ReferrersWalk.walk(registry, walked.reference(), result.manifest(), scope, calls))
                    : Optional.empty();
        } catch (RegistryAccessException e) {
            if (e.failure().mirrorFailure()) {
                health.unavailable(request);
            } else {
                health.answered(request);
            }
            retryOrGiveUp(job, e);
            return;
        } catch (RuntimeException e) {
            LOG.errorf(e, "Replication of %s failed unexpectedly", job.key());
            giveUp(job, "unexpected error: " + e);
            return;
        }
        long bytes = result.bytes() + referrers.map(ReferrersWalk.Result::bytes).orElse(0L);
        metrics.bytes(job, bytes);
        metrics.warmedBefore(job, result.warmedBefore(), result.bytesWarmedBefore());
        health.replicated(request);
        // One line per warmed reference: what an admin looks for when a Pod pulled slowly or not at all.
        LOG.infof("Warmed %s%s through %s in %s: %s in %d manifests and %d blobs; %d blobs (%s) warm already,"
                + " %d layers left to the runtime%s", job.key(), walked.fromConstraint().map(tag -> " as tag " + tag)
                        .orElse(""), job.host(),
                ReadableDuration.format(Duration.ofNanos(nanoClock.getAsLong() - job.startNanos())),
                ReadableBytes.format(result.bytes()), result.manifests(), result.blobs(), result.warmedBefore(),
                ReadableBytes.format(result.bytesWarmedBefore()), result.skippedBlobs(),
                referrers.map(warmed -> "; " + warmed.summary()).orElse(""));
        referrers.ifPresent(warmed -> referrerProblems(job, warmed));
        try {
            reporter.replicated(request, walked.fromConstraint(), result.manifest());
        } finally {
            ending.ended(job, JobOutcome.SUCCEEDED, bytes);
        }
    }

    /** The image is warm, its signatures may not be: verification at the mirror may fail for them, so say which. */
    private static void referrerProblems(ReplicationJob job, ReferrersWalk.Result referrers) {
        if (!referrers.problems().isEmpty()) {
            LOG.warnf("Replication of %s through %s warmed the image, not all of its referrers: %s", job.key(),
                    job.host(), referrers.problems().stream().map(ReferrersWalk.Problem::message)
                            .collect(Collectors.joining("; ")));
        }
    }

    /** A chart version no tag satisfies: Helm cannot install it either; the mirror answered as it should. */
    private void noMatchingVersion(ReplicationJob job, ChartVersionResolution.NoMatchingVersion none) {
        LOG.warnf("Replication of %s through %s: no tag of the %d listed satisfies chart version %s; nothing warmed",
                job.key(), job.host(), none.tags(), none.constraint());
        ending.ended(job, JobOutcome.NO_MATCHING_VERSION);
    }

    private void retryOrGiveUp(ReplicationJob job, RegistryAccessException failure) {
        String attempts = " (attempt " + job.attempt() + " of " + settings.attempts() + ")";
        if (closed) {
            ending.ended(job, JobOutcome.DROPPED);
            return;
        }
        if (!failure.retryable() || job.attempt() >= settings.attempts()) {
            giveUp(job, failure.getMessage() + attempts);
            return;
        }
        Duration delay = delay(job, failure);
        LOG.debugf("Replication of %s failed (%s); retry in %d ms", job.key(), failure.getMessage(), delay.toMillis());
        metrics.retry(job);
        synchronized (waitingForRetry) {
            if (closed) {
                ending.ended(job, JobOutcome.DROPPED);
                return;
            }
            waitingForRetry.add(job);
        }
        try {
            timer.schedule(() -> {
                if (stopWaiting(job)) {
                    start(job.nextAttempt());
                }
            }, delay);
        } catch (RejectedExecutionException shutDown) {
            if (stopWaiting(job)) {
                ending.ended(job, JobOutcome.DROPPED);
            }
        }
    }

    /** @return whether the job was still waiting (a shutdown has not ended it) */
    private boolean stopWaiting(ReplicationJob job) {
        synchronized (waitingForRetry) {
            return waitingForRetry.remove(job);
        }
    }

    /** A 429's own wait when it named one, else the backoff; never above the maximum backoff. */
    private Duration delay(ReplicationJob job, RegistryAccessException failure) {
        Duration delay = failure.failure() == Failure.THROTTLED && failure.retryAfter().isPresent()
                ? failure.retryAfter().get()
                : backoff.beforeRetry(job.attempt());
        return delay.compareTo(settings.maxBackoff()) > 0 ? settings.maxBackoff() : delay;
    }

    private void giveUp(ReplicationJob job, String reason) {
        LOG.warnf("Replication of %s through %s gave up: %s", job.key(), job.host(), reason);
        try {
            reporter.gaveUp(job.request(), reason);
        } finally {
            ending.ended(job, JobOutcome.FAILED);
        }
    }
}

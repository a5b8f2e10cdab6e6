package io.ocimirror.replication;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.ocimirror.rewrite.ReplicationRequest;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * The replication meters. Every per-job meter is labelled {@code source_registry} (the registry the reference came
 * from) and {@code mirror_host} (the replication host it was warmed through).
 */
final class ReplicationMetrics {

    static final String JOBS_METRIC = "oci_mirror_replication_jobs";
    static final String DURATION_METRIC = "oci_mirror_replication_duration";
    static final String BYTES_METRIC = "oci_mirror_replication_bytes";
    static final String SKIPPED_BLOBS_METRIC = "oci_mirror_replication_skipped_blobs";
    static final String SKIPPED_BYTES_METRIC = "oci_mirror_replication_skipped_bytes";
    static final String RETRIES_METRIC = "oci_mirror_replication_retries";
    static final String DEPTH_METRIC = "oci_mirror_replication_queue_depth";

    private final MeterRegistry meters;

    ReplicationMetrics(MeterRegistry meters, IntSupplier depth) {
        this.meters = meters;
        Gauge.builder(DEPTH_METRIC, depth::getAsInt)
                .description("Replication jobs waiting, running or between retries")
                .register(meters);
    }

    /** A job ended, or was not taken: {@code outcome} says which. */
    void job(ReplicationRequest request, JobOutcome outcome) {
        Counter.builder(JOBS_METRIC)
                .description("Replication jobs by how they ended (or why they were not taken)")
                .tags("source_registry", request.mirror().sourceRegistry(),
                        "mirror_host", request.mirror().replicationHost(), "outcome", outcome.label())
                .register(meters)
                .increment();
    }

    void duration(ReplicationJob job, JobOutcome outcome, long nanos) {
        Timer.builder(DURATION_METRIC)
                .description("Time from accepting a replication job to its end, retries included")
                .tags("source_registry", job.sourceRegistry(), "mirror_host", job.host(), "outcome", outcome.label())
                .register(meters)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    void bytes(ReplicationJob job, long bytes) {
        Counter.builder(BYTES_METRIC)
                .description("Blob bytes fetched through mirrors by replication")
                .tags("source_registry", job.sourceRegistry(), "mirror_host", job.host())
                .register(meters)
                .increment(bytes);
    }

    /** Blobs a successful walk did not fetch because replication fetched them recently, and their stated sizes. */
    void warmedBefore(ReplicationJob job, int blobs, long bytes) {
        Counter.builder(SKIPPED_BLOBS_METRIC)
                .description("Blobs not fetched again because replication fetched them recently for the same "
                        + "repository through the same mirror host")
                .tags("source_registry", job.sourceRegistry(), "mirror_host", job.host())
                .register(meters)
                .increment(blobs);
        Counter.builder(SKIPPED_BYTES_METRIC)
                .description("Bytes of the blobs not fetched again, as their descriptors state them")
                .tags("source_registry", job.sourceRegistry(), "mirror_host", job.host())
                .register(meters)
                .increment(bytes);
    }

    /** A retry was scheduled: the only retries replication makes (registry calls are each tried once). */
    void retry(ReplicationJob job) {
        Counter.builder(RETRIES_METRIC)
                .description("Replication attempts scheduled again after a failure")
                .tags("source_registry", job.sourceRegistry(), "mirror_host", job.host())
                .register(meters)
                .increment();
    }
}

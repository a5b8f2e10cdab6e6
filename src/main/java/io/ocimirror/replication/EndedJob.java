package io.ocimirror.replication;

import java.time.Instant;
import java.util.List;

/**
 * A replication job that ended, as the management endpoints show it.
 *
 * @param reference the reference on the mirror's replication host
 * @param mirrorHost the replication host
 * @param platforms the platforms the job warmed ({@code os/arch}), or {@code all}
 * @param outcome   how it ended
 * @param ended     when it ended
 * @param bytes     blob bytes it fetched through the mirror (0 unless it succeeded)
 */
public record EndedJob(String reference, String mirrorHost, List<String> platforms, JobOutcome outcome,
        Instant ended, long bytes) {

    /**
     * @param job     the job that ended
     * @param outcome how it ended
     * @param ended   when
     * @param bytes   blob bytes it fetched
     */
    static EndedJob of(ReplicationJob job, JobOutcome outcome, Instant ended, long bytes) {
        List<String> platforms = job.request().configuration().replication().platforms().isEmpty() ? List.of("all")
                : job.request().configuration().replication().platforms().stream().map(Object::toString).toList();
        return new EndedJob(job.request().reference().toString(), job.host(), platforms, outcome, ended, bytes);
    }
}

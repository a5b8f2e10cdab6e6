package io.ocimirror.replication;

import java.util.Arrays;
import java.util.Optional;

/**
 * How a replication job ended, or why it was not taken. {@link #label()} is the value of the {@code outcome} label of
 * the job meters, which dashboards and alerts match: it never changes with the constant's name.
 */
public enum JobOutcome {
    /** The walk warmed the mirror. */
    SUCCEEDED("succeeded"),
    /**
     * A chart version read as a constraint that no tag of the repository satisfies: nothing to warm, and nothing
     * Helm could install; the mirror answered as it should.
     */
    NO_MATCHING_VERSION("no-matching-version"),
    /** The job gave up: a failure a retry cannot help, or the last attempt failed. */
    FAILED("failed"),
    /** The queue was full, or the webhook was shutting down. */
    DROPPED("dropped"),
    /** Replication is switched off. */
    DISABLED("disabled"),
    /** The mirror's circuit breaker is open. */
    MIRROR_UNAVAILABLE("mirror-unavailable"),
    /** The same job gave up within {@code failed-window}. */
    RECENTLY_FAILED("recently-failed"),
    /** The same job is in flight or succeeded recently. */
    DEDUPLICATED("deduplicated");

    private final String label;

    JobOutcome(String label) {
        this.label = label;
    }

    /** The value of the meters' {@code outcome} label. */
    public String label() {
        return label;
    }

    /**
     * @param label the value of an {@code outcome} label
     * @return the outcome with that label, or empty when no outcome has it
     */
    public static Optional<JobOutcome> ofLabel(String label) {
        return Arrays.stream(values()).filter(outcome -> outcome.label.equals(label)).findFirst();
    }

    /** Whether the job failed for good, to be remembered for {@code failed-window} and not started again. */
    boolean gaveUp() {
        return this == FAILED;
    }
}

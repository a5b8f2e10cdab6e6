package io.ocimirror.replication;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * The last replication jobs that ended, newest first, at most {@link #CAPACITY}: what an operator asks about after the
 * fact. Only the order of endings matters, so a bounded deque does it; older jobs fall off as new ones end.
 */
public final class EndedJobs {

    /** Jobs kept; a rollout of a few hundred Pods fits, each entry a few hundred bytes. */
    public static final int CAPACITY = 500;

    private final Deque<EndedJob> newestFirst = new ArrayDeque<>(CAPACITY);

    synchronized void add(EndedJob job) {
        if (newestFirst.size() == CAPACITY) {
            newestFirst.removeLast();
        }
        newestFirst.addFirst(job);
    }

    /**
     * @param outcome only jobs that ended so, or empty for all
     * @param limit   the most jobs to return, at least 1
     * @return the newest jobs first
     */
    public synchronized List<EndedJob> newest(Optional<JobOutcome> outcome, int limit) {
        List<EndedJob> jobs = new ArrayList<>();
        for (EndedJob job : newestFirst) {
            if (jobs.size() == limit) {
                break;
            }
            if (outcome.isEmpty() || outcome.get() == job.outcome()) {
                jobs.add(job);
            }
        }
        return jobs;
    }

    /**
     * @param reference a reference on a mirror's replication host
     * @return the newest job of that reference still kept, or empty
     */
    public synchronized Optional<EndedJob> last(String reference) {
        return newestFirst.stream().filter(job -> job.reference().equals(reference)).findFirst();
    }
}

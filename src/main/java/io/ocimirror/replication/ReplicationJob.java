package io.ocimirror.replication;

import io.ocimirror.rewrite.ReplicationRequest;

/**
 * One reference to replicate and how far it got.
 *
 * @param key        what de-duplicates it: the reference on the mirror
 * @param startNanos when the queue took it, on the queue's clock
 * @param attempt    the attempt about to run or running, from 1
 */
record ReplicationJob(ReplicationRequest request, String key, long startNanos, int attempt) {

    /** The replication host: the identity of a mirror for the breaker, the lanes and the clients. */
    String host() {
        return request.mirror().replicationHost();
    }

    String sourceRegistry() {
        return request.mirror().sourceRegistry();
    }

    ReplicationJob nextAttempt() {
        return new ReplicationJob(request, key, startNanos, attempt + 1);
    }
}

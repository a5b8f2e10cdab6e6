package io.ocimirror.replication;

import io.ocimirror.rewrite.ReplicationRequest;

/** Tells the owner of an object how replication of one of its references ended. */
public interface ReplicationReporter {

    /**
     * Replication gave up on the request.
     *
     * @param reason what failed, for people; never holds credentials
     */
    void gaveUp(ReplicationRequest request, String reason);

    /**
     * Replication warmed the mirror with the request's reference.
     *
     * @param manifestDigest the digest of the top manifest walked ({@code sha256:<64 hex>})
     */
    void replicated(ReplicationRequest request, String manifestDigest);
}

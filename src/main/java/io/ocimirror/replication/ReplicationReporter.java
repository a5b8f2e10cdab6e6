package io.ocimirror.replication;

import io.ocimirror.rewrite.ReplicationRequest;
import java.util.Optional;

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
     * @param resolvedTag    for a chart whose version is a constraint, the tag it resolved to and that was warmed
     * @param manifestDigest the digest of the top manifest walked ({@code <algorithm>:<encoded>})
     */
    void replicated(ReplicationRequest request, Optional<String> resolvedTag, String manifestDigest);
}

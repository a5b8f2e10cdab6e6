package io.ocimirror.rewrite;

/** Where the admission path hands replication work. Implementations must return at once: admission never waits. */
public interface ReplicationScheduler {

    void schedule(ReplicationRequest request);
}

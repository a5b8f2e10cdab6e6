package io.ocimirror.replication;

/** Tells the owner of an object that replication of one of its references gave up. */
public interface GiveUpReporter {

    void report(ReplicationRequest request, String reason);
}

package io.ocimirror.replication;

import io.ocimirror.rewrite.ReplicationRequest;
import java.util.ArrayList;
import java.util.List;

/** A {@link ReplicationReporter} that keeps what it was told, in order, as {@code gave up …}/{@code replicated …}. */
final class RecordingReporter implements ReplicationReporter {

    private final List<String> reports = new ArrayList<>();

    @Override
    public synchronized void gaveUp(ReplicationRequest request, String reason) {
        reports.add("gave up " + request.reference() + ": " + reason);
    }

    @Override
    public synchronized void replicated(ReplicationRequest request, String manifestDigest) {
        reports.add("replicated " + request.reference() + " " + manifestDigest);
    }

    /** A copy of the reports so far. */
    synchronized List<String> reports() {
        return List.copyOf(reports);
    }
}

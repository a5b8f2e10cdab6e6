package io.ocimirror.replication;

import io.ocimirror.rewrite.ReplicationRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A {@link ReplicationReporter} that keeps what it was told, in order, as {@code gave up …}/{@code replicated …}. */
final class RecordingReporter implements ReplicationReporter {

    private final List<String> reports = new ArrayList<>();

    @Override
    public synchronized void gaveUp(ReplicationRequest request, String reason) {
        reports.add("gave up " + request.reference() + ": " + reason);
    }

    @Override
    public synchronized void replicated(ReplicationRequest request, Optional<String> resolvedTag,
            String manifestDigest) {
        reports.add("replicated " + request.reference() + resolvedTag.map(tag -> " as " + tag).orElse("") + " "
                + manifestDigest);
    }

    /** A copy of the reports so far. */
    synchronized List<String> reports() {
        return List.copyOf(reports);
    }
}

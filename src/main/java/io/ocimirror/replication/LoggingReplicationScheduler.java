package io.ocimirror.replication;

import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/** Logs what would be replicated. */
@ApplicationScoped
public class LoggingReplicationScheduler implements ReplicationScheduler {

    private static final Logger LOG = Logger.getLogger(LoggingReplicationScheduler.class);

    @Override
    public void schedule(ReplicationRequest request) {
        LOG.infof("Replication requested for %s", request.reference());
    }
}

package io.ocimirror.web;

import org.jboss.logging.Logger;

/**
 * One log line per change of readiness: probes ask every few seconds, and SmallRye Health would log the whole health
 * JSON at INFO on each DOWN answer (its category {@code io.smallrye.health} is set to WARN for that reason).
 */
final class ReadinessLog {

    private static final Logger LOG = Logger.getLogger(ReadinessLog.class);

    private boolean lastReady;
    private String lastState;

    /**
     * Logs the state when it differs from the one reported before: INFO when ready, WARN when not.
     *
     * @param ready whether the check answers UP
     * @param state what the check found, as people read it
     */
    synchronized void report(boolean ready, String state) {
        if (ready == lastReady && state.equals(lastState)) {
            return;
        }
        lastReady = ready;
        lastState = state;
        if (ready) {
            LOG.infof("Ready: %s", state);
        } else {
            LOG.warnf("Not ready: %s", state);
        }
    }
}

package io.ocimirror.registry;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.jboss.logging.Logger;

/**
 * Logs failed registry calls at most once per mirror host per interval, with the number of failures it left out
 * since, so a dead mirror (hundreds of failing calls a minute) cannot flood the log.
 */
final class FailureLog {

    private static final Logger LOG = Logger.getLogger(FailureLog.class);
    private static final int MAX_HOSTS = 256;

    private final long intervalNanos;
    private final LongSupplier nanoClock;
    private final Cache<String, HostState> hosts = Caffeine.newBuilder().maximumSize(MAX_HOSTS).build();

    private static final class HostState {
        long lastLoggedNanos;
        boolean logged;
        int suppressed;
    }

    FailureLog(Duration interval, LongSupplier nanoClock) {
        this.intervalNanos = interval.toNanos();
        this.nanoClock = nanoClock;
    }

    /** Records one failed call to {@code host}; logs it unless one of the host's was logged within the interval. */
    void failed(String host, String message) {
        HostState state = hosts.get(host, h -> new HostState());
        int leftOut;
        synchronized (state) {
            long now = nanoClock.getAsLong();
            if (state.logged && now - state.lastLoggedNanos < intervalNanos) {
                state.suppressed++;
                return;
            }
            leftOut = state.suppressed;
            state.logged = true;
            state.lastLoggedNanos = now;
            state.suppressed = 0;
        }
        LOG.warnf("Registry call failed: %s%s", message,
                leftOut == 0 ? "" : " (" + leftOut + " more failed calls to " + host + " not logged)");
    }
}

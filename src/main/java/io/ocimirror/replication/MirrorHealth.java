package io.ocimirror.replication;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.ocimirror.config.RewritePolicy;
import io.ocimirror.config.WebhookSettings;
import io.ocimirror.rewrite.Rewrite;
import io.ocimirror.rewrite.RewriteGate;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * What replication has learnt about each mirror, used to make pulls more reliable and never less: a mirror that
 * keeps failing gets no rewrites for a while (a circuit breaker per mirror), and a mirror with
 * {@code rewritePolicy: replicated} gets only references it has been seen to hold.
 */
@ApplicationScoped
public class MirrorHealth implements RewriteGate {

    private static final Logger LOG = Logger.getLogger(MirrorHealth.class);
    static final String HELD_BACK_METRIC = "oci_mirror_rewrites_held_back";
    static final String OPENED_METRIC = "oci_mirror_circuit_opened";

    private final WebhookSettings.CircuitBreaker settings;
    private final MeterRegistry meters;
    private final Map<String, CircuitBreaker> breakers = new ConcurrentHashMap<>();
    private final Map<String, Counter> heldBackCounters = new ConcurrentHashMap<>();
    private final RecentReplications held;

    public MirrorHealth(WebhookSettings settings, MeterRegistry meters) {
        this.settings = settings.circuitBreaker();
        this.meters = meters;
        this.held = new RecentReplications(settings.replication().recentCapacity(),
                settings.replication().digestWindow(), settings.replication().digestWindow(), System::nanoTime);
    }

    @Override
    public boolean allows(Rewrite rewrite) {
        String mirror = rewrite.mirror().sourceRegistry();
        if (!breaker(mirror).allowsRewrite()) {
            heldBack(mirror, "mirror-unavailable");
            return false;
        }
        if (rewrite.mirror().rewritePolicy() == RewritePolicy.REPLICATED
                && !held.contains(rewrite.replication().toString())) {
            heldBack(mirror, "not-replicated-yet");
            return false;
        }
        return true;
    }

    /** Jobs for a mirror whose breaker is open are not even queued: they would end at once. */
    boolean turnsJobsAway(ReplicationRequest request) {
        return breaker(request.mirror().sourceRegistry()).turnsJobsAway();
    }

    boolean allowsAttempt(ReplicationRequest request) {
        return breaker(request.mirror().sourceRegistry()).allowsAttempt();
    }

    void replicated(ReplicationRequest request) {
        breaker(request.mirror().sourceRegistry()).answered();
        held.remember(request.reference().toString(), true);
    }

    /** The mirror answered, but not with the content (401, 404): it is up, the reference is not held. */
    void answered(ReplicationRequest request) {
        breaker(request.mirror().sourceRegistry()).answered();
    }

    void unavailable(ReplicationRequest request) {
        String mirror = request.mirror().sourceRegistry();
        if (breaker(mirror).failed()) {
            meters.counter(OPENED_METRIC, "mirror", mirror).increment();
            LOG.warnf("Mirror for %s (%s) is unavailable; references to it are left as written for %s", mirror,
                    request.mirror().replicationHost(), settings.openDuration());
        }
    }

    /** Each mirror's state, for the health details. */
    public Map<String, String> describe() {
        Map<String, String> states = new TreeMap<>();
        breakers.forEach((mirror, breaker) -> states.put(mirror, breaker.describe()));
        return states;
    }

    private CircuitBreaker breaker(String mirror) {
        return breakers.computeIfAbsent(mirror,
                m -> new CircuitBreaker(settings.failureThreshold(), settings.openDuration(), System::nanoTime));
    }

    private void heldBack(String mirror, String reason) {
        heldBackCounters.computeIfAbsent(mirror + "/" + reason,
                key -> meters.counter(HELD_BACK_METRIC, "mirror", mirror, "reason", reason)).increment();
    }
}

package io.ocimirror.replication;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.ocimirror.config.ConfigurationOwner;
import io.ocimirror.config.Mirror;
import io.ocimirror.config.MirrorConfiguration;
import io.ocimirror.config.RewritePolicy;
import io.ocimirror.configstore.ConfigurationStore;
import io.ocimirror.rewrite.PullFailureFeedback;
import io.ocimirror.rewrite.ReplicationRequest;
import io.ocimirror.rewrite.Rewrite;
import io.ocimirror.rewrite.RewriteGate;
import io.ocimirror.rewrite.RewriteOutcome.HeldBack;
import io.ocimirror.settings.WebhookSettings;
import io.ocimirror.text.ReadableDuration;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * What replication has learnt about each mirror host, used to make pulls more reliable and never less: a mirror
 * host that keeps failing gets no rewrites for a while (a circuit breaker per replication host, the identity the host
 * lanes and the registry clients use too), and a mirror with {@code rewritePolicy: replicated} gets only references
 * it has been seen to hold. A mirrored reference a kubelet failed to pull is not written into Pods again for
 * {@code failed-window}, and that failure counts against its mirror host's breaker.
 */
@ApplicationScoped
public class MirrorHealth implements RewriteGate, PullFailureFeedback {

    private static final Logger LOG = Logger.getLogger(MirrorHealth.class);
    static final String HELD_BACK_METRIC = "oci_mirror_rewrites_held_back";
    static final String OPENED_METRIC = "oci_mirror_circuit_opened";
    static final String OPEN_GAUGE = "oci_mirror_circuit_breaker_open";

    private final WebhookSettings.CircuitBreakerSettings settings;
    private final boolean replicationEnabled;
    private final MeterRegistry meters;
    private final LongSupplier nanoClock;
    private final Map<String, CircuitBreaker> breakers = new ConcurrentHashMap<>();
    private final RecentReplications held;
    private final RecentReplications pullFailed;
    private final Map<ConfigurationOwner, Set<String>> configuredHosts = new ConcurrentHashMap<>();

    /** The breakers' open duration and the windows run on replication's clock, so a test's skipped wait counts. */
    @Inject
    public MirrorHealth(WebhookSettings settings, MeterRegistry meters, ConfigurationStore configurations,
            ReplicationTime time) {
        this(settings, meters, time::nanoTime);
        configurations.addListener(this::configured);
    }

    MirrorHealth(WebhookSettings settings, MeterRegistry meters, LongSupplier nanoClock) {
        this.settings = settings.circuitBreaker();
        this.replicationEnabled = settings.replication().enabled();
        this.meters = meters;
        this.nanoClock = nanoClock;
        this.held = new RecentReplications(settings.replication().recentCapacity(),
                settings.replication().digestWindow(), settings.replication().digestWindow(), nanoClock);
        this.pullFailed = new RecentReplications(settings.replication().recentCapacity(),
                settings.replication().failedWindow(), settings.replication().failedWindow(), nanoClock);
    }

    /**
     * Gives every mirror host of an owner's snapshot a breaker and its gauge, so both show from the moment the
     * configuration is read, before the first job; an owner without a snapshot has no configured hosts. The breaker
     * of a host that no configuration names any more goes.
     */
    void configured(ConfigurationOwner owner, Optional<MirrorConfiguration> snapshot) {
        Set<String> hosts = snapshot.map(configuration -> configuration.allMirrors().stream()
                .map(Mirror::replicationHost).collect(Collectors.toUnmodifiableSet())).orElse(Set.of());
        if (hosts.isEmpty()) {
            configuredHosts.remove(owner);
        } else {
            configuredHosts.put(owner, hosts);
        }
        hosts.forEach(this::breaker);
        Set<String> inForce = configuredHosts.values().stream().flatMap(Set::stream).collect(Collectors.toSet());
        breakers.keySet().stream().filter(host -> !inForce.contains(host)).toList().forEach(this::forget);
    }

    /** A host no configuration names any more: its breaker and gauge go. */
    private void forget(String host) {
        breakers.remove(host);
        Gauge gauge = meters.find(OPEN_GAUGE).tag("mirror_host", host).gauge();
        if (gauge != null) {
            meters.remove(gauge);
        }
    }

    @Override
    public Optional<HeldBack.Reason> holdsBack(Rewrite rewrite) {
        Optional<HeldBack.Reason> reason = reasonAgainst(rewrite);
        reason.ifPresent(r -> heldBack(rewrite.mirror(), r));
        return reason;
    }

    /**
     * {@link #holdsBack} without counting it: what admission would answer now, for the explain endpoint.
     *
     * @param rewrite what the rule would write
     * @return why the rewrite would be held back, or empty when it would go through
     */
    public Optional<HeldBack.Reason> wouldHoldBack(Rewrite rewrite) {
        return reasonAgainst(rewrite);
    }

    private Optional<HeldBack.Reason> reasonAgainst(Rewrite rewrite) {
        Mirror mirror = rewrite.mirror();
        if (!breaker(mirror.replicationHost()).allowsRewrite()) {
            return Optional.of(HeldBack.Reason.MIRROR_UNAVAILABLE);
        }
        if (pullFailed.contains(rewrite.pull().toString())) {
            return Optional.of(HeldBack.Reason.PULL_FAILED);
        }
        if (mirror.rewritePolicy() == RewritePolicy.REPLICATED && !held.contains(rewrite.replication().toString())) {
            return Optional.of(HeldBack.Reason.NOT_REPLICATED_YET);
        }
        return Optional.empty();
    }

    /** Jobs for a mirror host whose breaker is open are not even queued: they would end at once. */
    boolean turnsJobsAway(ReplicationRequest request) {
        return breaker(request.mirror().replicationHost()).turnsJobsAway();
    }

    boolean allowsAttempt(ReplicationRequest request) {
        return breaker(request.mirror().replicationHost()).allowsAttempt();
    }

    void replicated(ReplicationRequest request) {
        breaker(request.mirror().replicationHost()).answered();
        held.remember(request.reference().toString(), true);
    }

    /** The mirror answered, but not with the content (401, 404, 429): it is up, the reference is not held. */
    void answered(ReplicationRequest request) {
        breaker(request.mirror().replicationHost()).answered();
    }

    /** The mirror host itself failed (no connection, timeout, TLS, 5xx). */
    void unavailable(ReplicationRequest request) {
        hostFailed(request.mirror().replicationHost());
    }

    /** A kubelet could not pull a mirrored reference (seen by the pull-failure rescue). */
    @Override
    public void pullFailed(Mirror mirror, String reference) {
        pullFailed.remember(reference, true);
        hostFailed(mirror.replicationHost());
    }

    private void hostFailed(String host) {
        if (breaker(host).failed()) {
            Counter.builder(OPENED_METRIC)
                    .description("Times a mirror host's circuit breaker opened")
                    .tag("mirror_host", host)
                    .register(meters)
                    .increment();
            LOG.warnf("Mirror host %s is unavailable; references to it are left as written for %s", host,
                    ReadableDuration.format(settings.openDuration()));
        }
    }

    /** Each configured mirror host's state, for the health details. */
    public Map<String, String> describe() {
        Map<String, String> states = new TreeMap<>();
        breakers.forEach((host, breaker) -> states.put(host, breaker.describe()));
        return states;
    }

    private CircuitBreaker breaker(String host) {
        CircuitBreaker existing = breakers.get(host);
        if (existing != null) {
            return existing;
        }
        return breakers.computeIfAbsent(host, h -> {
            CircuitBreaker breaker = new CircuitBreaker(settings.failureThreshold(), settings.openDuration(),
                    nanoClock, replicationEnabled);
            Gauge.builder(OPEN_GAUGE, breaker, b -> b.allowsRewrite() ? 0 : 1)
                    .description("1 while the mirror host's circuit breaker is open (no rewrites to it), else 0")
                    .tag("mirror_host", h)
                    .register(meters);
            return breaker;
        });
    }

    private void heldBack(Mirror mirror, HeldBack.Reason reason) {
        Counter.builder(HELD_BACK_METRIC)
                .description("References left as written although a mirror is configured, by reason")
                .tags("source_registry", mirror.sourceRegistry(), "mirror_host", mirror.replicationHost(),
                        "reason", reason.code())
                .register(meters)
                .increment();
    }
}

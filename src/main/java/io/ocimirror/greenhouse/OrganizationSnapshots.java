package io.ocimirror.greenhouse;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.ocimirror.config.ConfigurationEvents;
import io.ocimirror.config.ConfigurationException;
import io.ocimirror.config.ConfigurationMetrics;
import io.ocimirror.config.MirrorConfiguration;
import io.ocimirror.config.MirrorConfigurationParser;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import org.jboss.logging.Logger;

/**
 * Every known Greenhouse organisation's mirror configuration snapshot. An update is parsed as Greenhouse parses it
 * (unknown keys ignored, and named in a Warning Event); an update that cannot be used keeps the organisation's last
 * good snapshot and is logged, counted and reported as a Warning Event on the Organization.
 */
@ApplicationScoped
public class OrganizationSnapshots {

    private static final Logger LOG = Logger.getLogger(OrganizationSnapshots.class);

    private final MirrorConfigurationParser parser = new MirrorConfigurationParser();
    private final Map<String, OrganizationState> states = new ConcurrentHashMap<>();
    private final Map<String, Gauge> validGauges = new ConcurrentHashMap<>();
    private final List<BiConsumer<String, Optional<MirrorConfiguration>>> listeners = new CopyOnWriteArrayList<>();
    private final MeterRegistry meters;
    private final ConfigurationEvents events;

    public OrganizationSnapshots(MeterRegistry meters, ConfigurationEvents events) {
        this.meters = meters;
        this.events = events;
    }

    /** The organisation's state; empty when no Organization of that name exists (or it is not seen yet). */
    public Optional<OrganizationState> state(String organization) {
        return Optional.ofNullable(states.get(organization));
    }

    /** Every known organisation's state, by name. */
    public Map<String, OrganizationState> states() {
        return new TreeMap<>(states);
    }

    /**
     * Calls the listener with an organisation's name and snapshot whenever it changes; an empty snapshot when the
     * organisation has no mirrors any more or is gone.
     */
    public void addListener(BiConsumer<String, Optional<MirrorConfiguration>> listener) {
        listeners.add(listener);
        states.forEach((name, state) -> listener.accept(name, state.configuration()));
    }

    /** The organisation has no mirrors: no {@code configMapRef}, or its ConfigMap lacks the key (as in Greenhouse). */
    void noMirrors(Organization organization, String why) {
        set(organization.name(), new OrganizationState(Optional.empty(), "no mirrors: " + why, Optional.empty()));
        LOG.infof("Organization %s has no mirrors: %s", organization.name(), why);
    }

    /** Parses {@code yaml} into the organisation's snapshot, or keeps the last good one when it cannot be used. */
    void update(Organization organization, String yaml, String origin) {
        MirrorConfigurationParser.Lenient parsed;
        try {
            parsed = parser.parseIgnoringUnknownKeys(yaml);
        } catch (ConfigurationException e) {
            reject(organization, origin + ": " + e.getMessage());
            return;
        }
        MirrorConfiguration snapshot = parsed.configuration().withSecretNamespace(organization.name());
        set(organization.name(), new OrganizationState(Optional.of(snapshot),
                snapshot.mirrors().size() + " mirrors from " + origin, Optional.empty()));
        ConfigurationMetrics.countReload(meters, organization.name(), true);
        LOG.infof("Mirror configuration of organization %s from %s applied: %d mirrors (%s)", organization.name(),
                origin, snapshot.mirrors().size(), String.join(", ", snapshot.mirrors().keySet()));
        if (!parsed.ignoredKeys().isEmpty()) {
            String keys = String.join(", ", parsed.ignoredKeys());
            LOG.warnf("Mirror configuration of organization %s from %s: unknown keys ignored: %s",
                    organization.name(), origin, keys);
            events.warning(organization.reference(), ConfigurationEvents.KEYS_IGNORED,
                    "Mirror configuration from " + origin + " applied without the keys this webhook does not know: "
                            + keys);
        }
    }

    /** An update that cannot be used: the last good snapshot (or none) stays in force. */
    void reject(Organization organization, String problem) {
        OrganizationState rejected = states.compute(organization.name(), (name, previous) -> previous == null
                ? new OrganizationState(Optional.empty(), "no mirrors: no valid configuration yet",
                        Optional.of(problem))
                : previous.rejected(problem));
        registerGauge(organization.name());
        ConfigurationMetrics.countReload(meters, organization.name(), false);
        LOG.warnf("Mirror configuration of organization %s rejected, in force: %s. %s", organization.name(),
                rejected.inForce(), problem);
        events.warning(organization.reference(), ConfigurationEvents.REJECTED,
                "Mirror configuration rejected; in force: " + rejected.inForce() + ". " + problem);
    }

    /** The Organization is gone: its namespace falls back to the webhook's own configuration. */
    void remove(String organization) {
        states.remove(organization);
        Gauge gauge = validGauges.remove(organization);
        if (gauge != null) {
            meters.remove(gauge);
        }
        listeners.forEach(listener -> listener.accept(organization, Optional.empty()));
        LOG.infof("Organization %s removed; its namespace uses the webhook's own configuration", organization);
    }

    private void set(String organization, OrganizationState state) {
        OrganizationState previous = states.put(organization, state);
        registerGauge(organization);
        if (previous == null || !previous.configuration().equals(state.configuration())) {
            listeners.forEach(listener -> listener.accept(organization, state.configuration()));
        }
    }

    private void registerGauge(String organization) {
        validGauges.computeIfAbsent(organization, name -> ConfigurationMetrics.registerValid(meters, name,
                () -> state(name).map(s -> s.rejection().isEmpty()).orElse(true)));
    }
}

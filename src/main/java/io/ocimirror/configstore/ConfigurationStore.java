package io.ocimirror.configstore;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.ocimirror.config.ConfigurationException;
import io.ocimirror.config.ConfigurationOwner;
import io.ocimirror.config.MirrorConfiguration;
import io.ocimirror.config.MirrorConfigurationParser;
import io.ocimirror.config.OwnedConfiguration;
import io.ocimirror.registry.RegistryCredentials;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jboss.logging.Logger;

/**
 * Every mirror configuration in force, keyed by who owns it: the webhook's own (its file or ConfigMap) and each
 * Greenhouse organisation's. Each entry holds the owner's snapshot, its credentials and its state. Sources push
 * updates here; a valid update replaces the owner's snapshot atomically, an invalid one is logged and counted and the
 * last good snapshot stays in force. Listeners (credential watches, the circuit breakers' view of mirror hosts) hear
 * of every owner's snapshot the same way, in the order of the updates: updates are serialised (they are rare), reads
 * take no lock (the admission path reads here).
 */
@ApplicationScoped
public class ConfigurationStore {

    private static final Logger LOG = Logger.getLogger(ConfigurationStore.class);

    /** Hears of an owner's snapshot whenever it changes; empty when the owner has no mirrors any more or is gone. */
    public interface Listener {
        void changed(ConfigurationOwner owner, Optional<MirrorConfiguration> snapshot);
    }

    /** How an update ended. */
    public sealed interface Update {

        /** @param ignoredKeys keys of an organisation's configuration left out, as Greenhouse leaves them out */
        record Applied(MirrorConfiguration snapshot, List<String> ignoredKeys) implements Update {
        }

        /** @param stillInForce what stays in force, for people */
        record Rejected(String problem, String stillInForce) implements Update {
        }
    }

    private final MirrorConfigurationParser parser = new MirrorConfigurationParser();
    private final Map<ConfigurationOwner, ConfigurationState> states = new ConcurrentHashMap<>();
    private final Map<ConfigurationOwner, Gauge> validGauges = new ConcurrentHashMap<>();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final MeterRegistry meters;

    public ConfigurationStore(MeterRegistry meters) {
        this.meters = meters;
        registerGauge(ConfigurationOwner.WEBHOOK);
        ConfigurationMetrics.registerReloads(meters, ConfigurationOwner.WEBHOOK.organizationLabel());
    }

    /** The owner's snapshot in force; empty when it has none (no mirrors, nothing valid yet, or unknown). */
    public Optional<MirrorConfiguration> snapshot(ConfigurationOwner owner) {
        return state(owner).flatMap(ConfigurationState::snapshot);
    }

    /** The owner's snapshot with the owner, as admission hands it on. */
    public Optional<OwnedConfiguration> owned(ConfigurationOwner owner) {
        return snapshot(owner).map(snapshot -> new OwnedConfiguration(owner, snapshot));
    }

    /** The owner's state; empty when nothing is known of it (an organisation not seen, or gone). */
    public Optional<ConfigurationState> state(ConfigurationOwner owner) {
        return Optional.ofNullable(states.get(owner));
    }

    /** Every known owner's state. */
    public Map<ConfigurationOwner, ConfigurationState> states() {
        return Map.copyOf(states);
    }

    /** The credentials replication presents for the owner; none when it has none or is unknown. */
    public RegistryCredentials credentials(ConfigurationOwner owner) {
        return state(owner).map(ConfigurationState::credentials).orElse(RegistryCredentials.NONE);
    }

    /** Calls the listener with every owner's snapshot from now on, and with each known one now. */
    public synchronized void addListener(Listener listener) {
        listeners.add(listener);
        states.forEach((owner, state) -> listener.changed(owner, state.snapshot()));
    }

    /**
     * Parses an update of the owner's configuration: strictly for the webhook's own, as Greenhouse reads it (unknown
     * keys left out and named) for an organisation's.
     *
     * @param yaml   the configuration YAML ({@code containerRegistryConfig})
     * @param origin where it came from, for logs and readiness (e.g. {@code ConfigMap ns/name key k})
     * @return {@link Update.Applied}, or {@link Update.Rejected} with the problem naming the key
     */
    public synchronized Update apply(ConfigurationOwner owner, String yaml, String origin) {
        MirrorConfigurationParser.Lenient parsed;
        try {
            parsed = owner instanceof ConfigurationOwner.Webhook
                    ? new MirrorConfigurationParser.Lenient(parser.parse(yaml), List.of())
                    : parser.parseIgnoringUnknownKeys(yaml);
        } catch (ConfigurationException e) {
            return reject(owner, origin + ": " + e.getMessage());
        }
        MirrorConfiguration snapshot = parsed.configuration();
        set(owner, Optional.of(snapshot), snapshot.mirrors().size() + " mirrors from " + origin);
        ConfigurationMetrics.countReload(meters, owner.organizationLabel(), true);
        LOG.infof("Mirror configuration of %s from %s applied: %d mirrors (%s)", owner, origin,
                snapshot.mirrors().size(), String.join(", ", snapshot.mirrors().keySet()));
        if (!parsed.ignoredKeys().isEmpty()) {
            LOG.warnf("Mirror configuration of %s from %s: unknown keys ignored: %s", owner, origin,
                    String.join(", ", parsed.ignoredKeys()));
        }
        return new Update.Applied(snapshot, parsed.ignoredKeys());
    }

    /** The owner has no mirrors: an organisation without {@code configMapRef}, or whose ConfigMap lacks the key. */
    public synchronized void noMirrors(ConfigurationOwner owner, String why) {
        set(owner, Optional.empty(), "no mirrors: " + why);
        LOG.infof("%s has no mirrors: %s", owner, why);
    }

    /** An update that cannot be used: the last good snapshot (or none) stays in force. */
    public synchronized Update.Rejected reject(ConfigurationOwner owner, String problem) {
        ConfigurationState rejected = states.compute(owner, (key, previous) ->
                (previous == null ? ConfigurationState.NOTHING_YET : previous).rejected(problem));
        registerGauge(owner);
        ConfigurationMetrics.countReload(meters, owner.organizationLabel(), false);
        LOG.warnf("Mirror configuration of %s rejected, in force: %s. %s", owner, rejected.inForce(), problem);
        return new Update.Rejected(problem, rejected.inForce());
    }

    /**
     * Replaces the credentials replication presents for the owner. An organisation's are kept only while the
     * organisation is known: a Secret's late event does not bring a removed one back.
     */
    public synchronized void updateCredentials(ConfigurationOwner owner, RegistryCredentials credentials, String origin) {
        ConfigurationState updated = states.compute(owner, (key, previous) -> {
            if (previous == null && owner instanceof ConfigurationOwner.Organization) {
                return null;
            }
            return (previous == null ? ConfigurationState.NOTHING_YET : previous).withCredentials(credentials);
        });
        if (updated != null) {
            LOG.infof("Mirror credentials of %s from %s applied: %s", owner, origin, credentials.describe());
        }
    }

    /** An organisation is gone: its namespace falls back to the webhook's own configuration. */
    public synchronized void remove(ConfigurationOwner owner) {
        if (owner instanceof ConfigurationOwner.Webhook) {
            throw new IllegalArgumentException("the webhook's own configuration is never removed");
        }
        states.remove(owner);
        Gauge gauge = validGauges.remove(owner);
        if (gauge != null) {
            meters.remove(gauge);
        }
        listeners.forEach(listener -> listener.changed(owner, Optional.empty()));
        LOG.infof("%s removed; its namespace uses the webhook's own configuration", owner);
    }

    private void set(ConfigurationOwner owner, Optional<MirrorConfiguration> snapshot, String inForce) {
        ConfigurationState previous = states.get(owner);
        states.compute(owner, (key, old) ->
                (old == null ? ConfigurationState.NOTHING_YET : old).applied(snapshot, inForce));
        registerGauge(owner);
        if (previous == null || !previous.snapshot().equals(snapshot)) {
            listeners.forEach(listener -> listener.changed(owner, snapshot));
        }
    }

    private void registerGauge(ConfigurationOwner owner) {
        validGauges.computeIfAbsent(owner, key -> ConfigurationMetrics.registerValid(meters,
                key.organizationLabel(), () -> state(key).map(s -> s.rejection().isEmpty()).orElse(true)));
    }
}

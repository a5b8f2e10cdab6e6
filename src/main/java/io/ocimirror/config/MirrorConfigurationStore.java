package io.ocimirror.config;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Holds the current mirror configuration snapshot. Sources push YAML here; a valid update replaces the snapshot
 * atomically, an invalid one is logged and counted and the last good snapshot stays in force.
 */
@ApplicationScoped
public class MirrorConfigurationStore {

    private static final Logger LOG = Logger.getLogger(MirrorConfigurationStore.class);

    private final MirrorConfigurationParser parser = new MirrorConfigurationParser();
    private final AtomicReference<MirrorConfiguration> current = new AtomicReference<>();
    private final AtomicReference<String> lastRejection = new AtomicReference<>();
    private final MeterRegistry meters;
    private final List<Consumer<MirrorConfiguration>> listeners = new CopyOnWriteArrayList<>();

    public MirrorConfigurationStore(MeterRegistry meters) {
        this.meters = meters;
        ConfigurationMetrics.registerValid(meters, ConfigurationMetrics.OWN_CONFIGURATION,
                () -> lastRejection.get() == null);
    }

    public Optional<MirrorConfiguration> current() {
        return Optional.ofNullable(current.get());
    }

    /** Why the latest update was rejected; empty while the latest update was applied, or before any. */
    public Optional<String> lastRejection() {
        return Optional.ofNullable(lastRejection.get());
    }

    /** Calls the listener with every configuration applied from now on, and with the current one if there is one. */
    public void addListener(Consumer<MirrorConfiguration> listener) {
        listeners.add(listener);
        current().ifPresent(listener);
    }

    /** @return whether the update was applied; when not, {@link #lastRejection()} says why */
    public boolean update(String yaml, String origin) {
        try {
            MirrorConfiguration configuration = parser.parse(yaml);
            current.set(configuration);
            lastRejection.set(null);
            listeners.forEach(listener -> listener.accept(configuration));
            ConfigurationMetrics.countReload(meters, ConfigurationMetrics.OWN_CONFIGURATION, true);
            LOG.infof("Mirror configuration from %s applied: %d mirrors (%s)", origin,
                    configuration.mirrors().size(), String.join(", ", configuration.mirrors().keySet()));
            return true;
        } catch (ConfigurationException e) {
            lastRejection.set(e.getMessage());
            ConfigurationMetrics.countReload(meters, ConfigurationMetrics.OWN_CONFIGURATION, false);
            LOG.errorf("Mirror configuration from %s rejected, %s: %s", origin,
                    current.get() == null ? "no configuration in force yet" : "keeping the last good one",
                    e.getMessage());
            return false;
        }
    }
}

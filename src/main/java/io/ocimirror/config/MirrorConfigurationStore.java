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
    static final String RELOADS_METRIC = "oci_mirror_config_reloads";

    private final MirrorConfigurationParser parser = new MirrorConfigurationParser();
    private final AtomicReference<MirrorConfiguration> current = new AtomicReference<>();
    private final MeterRegistry meters;
    private final List<Consumer<MirrorConfiguration>> listeners = new CopyOnWriteArrayList<>();

    public MirrorConfigurationStore(MeterRegistry meters) {
        this.meters = meters;
    }

    public Optional<MirrorConfiguration> current() {
        return Optional.ofNullable(current.get());
    }

    /** Calls the listener with every configuration applied from now on, and with the current one if there is one. */
    public void addListener(Consumer<MirrorConfiguration> listener) {
        listeners.add(listener);
        current().ifPresent(listener);
    }

    /** @return whether the update was applied */
    public boolean update(String yaml, String origin) {
        try {
            MirrorConfiguration configuration = parser.parse(yaml);
            current.set(configuration);
            listeners.forEach(listener -> listener.accept(configuration));
            meters.counter(RELOADS_METRIC, "outcome", "applied").increment();
            LOG.infof("Mirror configuration from %s applied: %d mirrors (%s)", origin,
                    configuration.mirrors().size(), String.join(", ", configuration.mirrors().keySet()));
            return true;
        } catch (ConfigurationException e) {
            meters.counter(RELOADS_METRIC, "outcome", "rejected").increment();
            LOG.errorf("Mirror configuration from %s rejected, %s: %s", origin,
                    current.get() == null ? "no configuration in force yet" : "keeping the last good one",
                    e.getMessage());
            return false;
        }
    }
}

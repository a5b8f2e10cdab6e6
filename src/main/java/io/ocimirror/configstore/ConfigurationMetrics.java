package io.ocimirror.configstore;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.BooleanSupplier;

/**
 * The metrics of configuration updates, shared by the webhook's own configuration and Greenhouse organisations'.
 * Both carry the label {@code organization}: an organisation's name, or empty for the webhook's own (which
 * Prometheus shows as no label). Prometheus needs one label set per metric name, so the two cannot differ.
 */
final class ConfigurationMetrics {

    static final String RELOADS_METRIC = "oci_mirror_config_reloads";
    static final String VALID_METRIC = "oci_mirror_config_valid";

    private ConfigurationMetrics() {
    }

    /**
     * Registers {@code oci_mirror_config_valid} for one configuration.
     *
     * @param organization the organisation's name, or an empty name for the webhook's own
     * @param valid        whether the latest update was applied (true before any update arrives)
     * @return the gauge, to remove when the organisation goes
     */
    static Gauge registerValid(MeterRegistry meters, String organization, BooleanSupplier valid) {
        return Gauge.builder(VALID_METRIC, valid, v -> v.getAsBoolean() ? 1 : 0)
                .description("1 while the latest mirror configuration update was applied (or none arrived yet), "
                        + "0 while it is rejected and the last good configuration stays in force")
                .tag("organization", organization)
                // Micrometer holds a gauge's object weakly; nothing else holds this lambda.
                .strongReference(true)
                .register(meters);
    }

    /** Counts one update of a configuration in {@code oci_mirror_config_reloads_total}. */
    static void countReload(MeterRegistry meters, String organization, boolean applied) {
        reloads(meters, organization, applied).increment();
    }

    /** Creates both series of {@code oci_mirror_config_reloads_total} of a configuration at zero. */
    static void registerReloads(MeterRegistry meters, String organization) {
        reloads(meters, organization, true);
        reloads(meters, organization, false);
    }

    private static Counter reloads(MeterRegistry meters, String organization, boolean applied) {
        return Counter.builder(RELOADS_METRIC)
                .description("Mirror configuration updates, applied or rejected")
                .tag("organization", organization)
                .tag("outcome", applied ? "applied" : "rejected")
                .register(meters);
    }
}

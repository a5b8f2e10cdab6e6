package io.ocimirror.web;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.ocimirror.config.ConfigurationMetrics;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What a Prometheus scrape shows of the webhook's own metrics besides their values: HELP text for every
 * {@code oci_mirror_} metric whose meter was registered without a description, counters that exist at zero from
 * the start (so {@code increase()} and alerts see the first event, and a dashboard shows every series), and
 * admission latency buckets below one millisecond, where the webhook answers (README, "Performance").
 *
 * <p>Names are Micrometer's: the Prometheus registry appends {@code _total} to counters and {@code _seconds} to
 * timers.
 */
@ApplicationScoped
public class MeterDescriptions {

    static final String ADMISSIONS = "oci_mirror_admissions";
    static final String ADMISSION_DURATION = "oci_mirror_admission_duration";

    /** The admission kinds and outcomes of {@code oci_mirror_admissions_total} (README, "Operations"). */
    static final List<String> ADMISSION_KINDS = List.of("pod", "plugindefinition", "other");
    static final List<String> ADMISSION_OUTCOMES = List.of("patched", "unchanged", "skipped", "error");

    /**
     * Lowest bucket and extra bucket bounds of the admission latency histogram. Micrometer's default histogram
     * starts at 1 ms; an admission takes 0.1-0.5 ms in-process, which would all fall into the first bucket.
     */
    static final Duration LATENCY_MINIMUM = Duration.ofNanos(50_000);
    static final Duration[] LATENCY_BOUNDS = {
            Duration.ofNanos(100_000), Duration.ofNanos(250_000), Duration.ofNanos(500_000)};

    private static final Map<String, String> HELP = Map.ofEntries(
            Map.entry(ADMISSIONS, "Admission reviews answered, by kind and outcome"),
            Map.entry(ADMISSION_DURATION, "Time to answer an admission review"),
            Map.entry("oci_mirror_rewrites", "References rewritten to a mirror, by source registry"),
            Map.entry("oci_mirror_replication_queue_depth", "Replication jobs waiting, running or between retries"),
            Map.entry("oci_mirror_replication_jobs", "Replication jobs, by outcome"),
            Map.entry("oci_mirror_replication_duration",
                    "Time from accepting a replication job to its end, retries included"),
            Map.entry("oci_mirror_replication_bytes", "Blob bytes fetched through mirrors"),
            Map.entry("oci_mirror_replication_retries", "Retries after a failed replication call"),
            Map.entry("oci_mirror_circuit_opened", "Times a mirror's circuit breaker opened"),
            Map.entry("oci_mirror_circuit_breaker_open", "1 while a mirror's circuit breaker is open"),
            Map.entry("oci_mirror_rewrites_held_back",
                    "References left as written because of their mirror's state, by reason"));

    /** Adds HELP text where a meter has none, and configures the admission latency buckets. */
    @Produces
    @Singleton
    MeterFilter descriptionsAndBuckets() {
        return new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                String help = HELP.get(id.getName());
                if (help == null || (id.getDescription() != null && !id.getDescription().isBlank())) {
                    return id;
                }
                return new Meter.Id(id.getName(), Tags.of(id.getTagsAsIterable()), id.getBaseUnit(), help,
                        id.getType());
            }

            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (!ADMISSION_DURATION.equals(id.getName())) {
                    return config;
                }
                return DistributionStatisticConfig.builder()
                        .percentilesHistogram(true)
                        .minimumExpectedValue((double) LATENCY_MINIMUM.toNanos())
                        .serviceLevelObjectives(Arrays.stream(LATENCY_BOUNDS)
                                .mapToDouble(Duration::toNanos).toArray())
                        .build()
                        .merge(config);
            }
        };
    }

    /** Creates the admission and configuration counters at zero, one series per label combination. */
    void registerAtZero(@Observes StartupEvent startup, MeterRegistry meters) {
        for (String kind : ADMISSION_KINDS) {
            for (String outcome : ADMISSION_OUTCOMES) {
                meters.counter(ADMISSIONS, "kind", kind, "outcome", outcome);
            }
        }
        ConfigurationMetrics.registerReloads(meters, ConfigurationMetrics.OWN_CONFIGURATION);
    }
}

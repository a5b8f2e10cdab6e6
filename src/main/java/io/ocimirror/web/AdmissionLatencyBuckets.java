package io.ocimirror.web;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Arrays;

/**
 * The buckets of the admission latency histogram ({@code oci_mirror_admission_duration_seconds}): below one
 * millisecond, where the webhook answers (README, "Performance"). Micrometer's default histogram starts at 1 ms; an
 * admission takes 0.1-0.5 ms in-process, which would all fall into the first bucket.
 */
@ApplicationScoped
public class AdmissionLatencyBuckets {

    static final String ADMISSION_DURATION = "oci_mirror_admission_duration";

    /** Lowest bucket and extra bucket bounds. */
    static final Duration LATENCY_MINIMUM = Duration.ofNanos(50_000);
    static final Duration[] LATENCY_BOUNDS = {
            Duration.ofNanos(100_000), Duration.ofNanos(250_000), Duration.ofNanos(500_000)};

    @Produces
    @Singleton
    MeterFilter admissionLatencyBuckets() {
        return new MeterFilter() {
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
}

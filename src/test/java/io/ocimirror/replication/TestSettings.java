package io.ocimirror.replication;

import io.ocimirror.settings.WebhookSettings;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** {@link WebhookSettings} with their declared defaults, and the given {@code oci-mirror.*} properties on top. */
final class TestSettings {

    private TestSettings() {
    }

    static WebhookSettings with(Map<String, String> properties) {
        Map<String, String> all = new HashMap<>(Map.of(
                "oci-mirror.tls.cert-file", "/unused/tls.crt",
                "oci-mirror.tls.key-file", "/unused/tls.key"));
        all.putAll(properties);
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(WebhookSettings.class)
                // Quarkus reads "10s" and "1m" as durations; plain SmallRye only reads ISO-8601.
                .withConverter(Duration.class, 200, new DurationConverter())
                .withSources(new PropertiesConfigSource(all, "test", 100))
                .build();
        return config.getConfigMapping(WebhookSettings.class);
    }
}

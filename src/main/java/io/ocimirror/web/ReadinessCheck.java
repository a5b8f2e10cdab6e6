package io.ocimirror.web;

import io.ocimirror.config.ConfigurationOwner;
import io.ocimirror.config.MirrorConfiguration;
import io.ocimirror.configstore.ConfigurationState;
import io.ocimirror.configstore.ConfigurationStore;
import io.ocimirror.settings.WebhookSettings;
import io.quarkus.tls.TlsConfigurationRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once a mirror configuration is in force and the serving certificate is loaded. With Greenhouse
 * organisations on, the webhook's own configuration may be absent (organisations bring theirs), so only the
 * certificate counts. A change of the answer is logged once ({@link ReadinessLog}), not on every probe.
 */
@Readiness
@ApplicationScoped
public class ReadinessCheck implements HealthCheck {

    static final String TLS_CONFIGURATION = "webhook";

    private final ConfigurationStore configurations;
    private final TlsConfigurationRegistry tls;
    private final boolean ownConfigurationOptional;
    private final ReadinessLog log = new ReadinessLog();

    public ReadinessCheck(ConfigurationStore configurations, TlsConfigurationRegistry tls,
            WebhookSettings settings) {
        this.configurations = configurations;
        this.tls = tls;
        this.ownConfigurationOptional = settings.greenhouse().enabled();
    }

    @Override
    public HealthCheckResponse call() {
        Optional<MirrorConfiguration> own = configurations.snapshot(ConfigurationOwner.WEBHOOK);
        boolean configured = own.isPresent();
        boolean tlsLoaded = tls.get(TLS_CONFIGURATION).map(c -> c.getKeyStore() != null).orElse(false);
        long mirrors = own.map(c -> (long) c.mirrors().size()).orElse(0L);
        String configuration = describeConfiguration(configured);
        boolean ready = (configured || ownConfigurationOptional) && tlsLoaded;
        HealthCheckResponseBuilder response = HealthCheckResponse.named("oci-mirror-webhook")
                .status(ready)
                .withData("mirrorConfiguration", configuration)
                .withData("tls", tlsLoaded ? "loaded" : "missing")
                .withData("mirrors", mirrors);
        if (configured && mirrors == 0) {
            response.withData("rewriting", "off: registryMirrors is empty, nothing is rewritten");
        }
        log.report(ready, "mirror configuration " + configuration + ", " + mirrors + " mirrors, certificate "
                + (tlsLoaded ? "loaded" : "missing"));
        return response.build();
    }

    /** Loaded or missing, and after a rejected update the reason, which otherwise only the log shows. */
    private String describeConfiguration(boolean configured) {
        String state = configured ? "loaded" : "missing";
        return configurations.state(ConfigurationOwner.WEBHOOK).flatMap(ConfigurationState::rejection)
                .map(problem -> state + "; the latest update was rejected: " + problem)
                .orElse(state);
    }
}

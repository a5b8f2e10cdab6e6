package io.ocimirror.web;

import io.ocimirror.config.MirrorConfigurationStore;
import io.ocimirror.config.WebhookSettings;
import io.quarkus.tls.TlsConfigurationRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once a mirror configuration is in force and the serving certificate is loaded. With Greenhouse
 * organisations on, the webhook's own configuration may be absent (organisations bring theirs), so only the
 * certificate counts.
 */
@Readiness
@ApplicationScoped
public class ReadinessCheck implements HealthCheck {

    static final String TLS_CONFIGURATION = "webhook";

    private final MirrorConfigurationStore configurations;
    private final TlsConfigurationRegistry tls;
    private final boolean ownConfigurationOptional;

    public ReadinessCheck(MirrorConfigurationStore configurations, TlsConfigurationRegistry tls,
            WebhookSettings settings) {
        this.configurations = configurations;
        this.tls = tls;
        this.ownConfigurationOptional = settings.greenhouse().enabled();
    }

    @Override
    public HealthCheckResponse call() {
        boolean configured = configurations.current().isPresent();
        boolean tlsLoaded = tls.get(TLS_CONFIGURATION).map(c -> c.getKeyStore() != null).orElse(false);
        long mirrors = configurations.current().map(c -> (long) c.mirrors().size()).orElse(0L);
        HealthCheckResponseBuilder response = HealthCheckResponse.named("oci-mirror-webhook")
                .status((configured || ownConfigurationOptional) && tlsLoaded)
                .withData("mirrorConfiguration", describeConfiguration(configured))
                .withData("tls", tlsLoaded ? "loaded" : "missing")
                .withData("mirrors", mirrors);
        if (configured && mirrors == 0) {
            response.withData("rewriting", "off: registryMirrors is empty, nothing is rewritten");
        }
        return response.build();
    }

    /** Loaded or missing, and after a rejected update the reason, which otherwise only the log shows. */
    private String describeConfiguration(boolean configured) {
        String state = configured ? "loaded" : "missing";
        return configurations.lastRejection()
                .map(problem -> state + "; the latest update was rejected: " + problem)
                .orElse(state);
    }
}

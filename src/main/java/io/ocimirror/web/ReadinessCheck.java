package io.ocimirror.web;

import io.ocimirror.config.MirrorConfigurationStore;
import io.quarkus.tls.TlsConfigurationRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** Ready once a mirror configuration is in force and the serving certificate is loaded. */
@Readiness
@ApplicationScoped
public class ReadinessCheck implements HealthCheck {

    static final String TLS_CONFIGURATION = "webhook";

    private final MirrorConfigurationStore configurations;
    private final TlsConfigurationRegistry tls;

    public ReadinessCheck(MirrorConfigurationStore configurations, TlsConfigurationRegistry tls) {
        this.configurations = configurations;
        this.tls = tls;
    }

    @Override
    public HealthCheckResponse call() {
        boolean configured = configurations.current().isPresent();
        boolean tlsLoaded = tls.get(TLS_CONFIGURATION).map(c -> c.getKeyStore() != null).orElse(false);
        long mirrors = configurations.current().map(c -> (long) c.mirrors().size()).orElse(0L);
        HealthCheckResponseBuilder response = HealthCheckResponse.named("oci-mirror-webhook")
                .status(configured && tlsLoaded)
                .withData("mirrorConfiguration", configured ? "loaded" : "missing")
                .withData("tls", tlsLoaded ? "loaded" : "missing")
                .withData("mirrors", mirrors);
        if (configured && mirrors == 0) {
            response.withData("rewriting", "off: registryMirrors is empty, nothing is rewritten");
        }
        return response.build();
    }
}

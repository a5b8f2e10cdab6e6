package io.ocimirror.greenhouse;

import io.ocimirror.config.WebhookSettings;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Lists each Greenhouse organisation's configuration state in the readiness details. Always up: an organisation's
 * broken or missing configuration affects that organisation only, and must not take the webhook out of service.
 */
@Readiness
@ApplicationScoped
public class OrganizationsReadinessCheck implements HealthCheck {

    static final String NAME = "greenhouse-organizations";

    private final WebhookSettings settings;
    private final OrganizationSnapshots snapshots;

    public OrganizationsReadinessCheck(WebhookSettings settings, OrganizationSnapshots snapshots) {
        this.settings = settings;
        this.snapshots = snapshots;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME).up()
                .withData("enabled", settings.greenhouse().enabled());
        snapshots.states().forEach((name, state) -> response.withData("organization." + name, state.describe()));
        return response.build();
    }
}

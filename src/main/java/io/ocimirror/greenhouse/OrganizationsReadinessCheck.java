package io.ocimirror.greenhouse;

import io.ocimirror.config.ConfigurationOwner;
import io.ocimirror.configstore.ConfigurationStore;
import io.ocimirror.settings.WebhookSettings;
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
    private final ConfigurationStore store;

    public OrganizationsReadinessCheck(WebhookSettings settings, ConfigurationStore store) {
        this.settings = settings;
        this.store = store;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named(NAME).up()
                .withData("enabled", settings.greenhouse().enabled());
        store.states().forEach((owner, state) -> {
            if (owner instanceof ConfigurationOwner.Organization organization) {
                response.withData("organization." + organization.name(), state.describe());
            }
        });
        return response.build();
    }
}

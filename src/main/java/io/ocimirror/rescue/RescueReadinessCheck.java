package io.ocimirror.rescue;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * The rescue's state in the readiness details: whether it runs, who holds the Lease, whether this replica does.
 * Always up: admission does not depend on it.
 */
@Readiness
@ApplicationScoped
class RescueReadinessCheck implements HealthCheck {

    private static final String UNKNOWN = "unknown";

    private final RescueSettings settings;
    private final RescueStartup rescue;

    RescueReadinessCheck(RescueSettings settings, RescueStartup rescue) {
        this.settings = settings;
        this.rescue = rescue;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("pullFailureRescue").up();
        response.withData("enabled", settings.enabled());
        rescue.leadership().ifPresentOrElse(leadership -> response
                        .withData("leaseHolder", leadership.holder().orElse(UNKNOWN))
                        .withData("leading", leadership.leading()),
                () -> response.withData("running", false));
        return response.build();
    }
}

package io.ocimirror.web;

import io.ocimirror.replication.MirrorHealth;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Each mirror's state in the readiness details. Always up: an unavailable mirror only means its references are left
 * as written, which the webhook still does correctly.
 */
@Readiness
@ApplicationScoped
public class MirrorHealthCheck implements HealthCheck {

    private final MirrorHealth mirrors;

    public MirrorHealthCheck(MirrorHealth mirrors) {
        this.mirrors = mirrors;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("mirrors").up();
        mirrors.describe().forEach(response::withData);
        return response.build();
    }
}

package io.ocimirror.rescue;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Settings of the pull-failure rescue ({@code oci-mirror.rescue.*}). */
@ConfigMapping(prefix = "oci-mirror.rescue")
public interface RescueSettings {

    /** Whether the rescue runs at all; it also needs a Kubernetes API server to talk to. */
    @WithDefault("true")
    boolean enabled();

    /**
     * How long a container must have been failing to pull its mirrored image, counted from the first failure this
     * replica saw, before its image is set back to the original. Short pull hiccups of a warming mirror pass.
     */
    @WithDefault("30s")
    Duration pullFailureGrace();

    /** The Lease (in the webhook's namespace) that picks the one replica that patches Pods. */
    @WithDefault("oci-mirror-webhook-rescue")
    String leaseName();

    /** How long a Lease holder keeps it without renewing (client-go's default). */
    @WithDefault("15s")
    Duration leaseDuration();

    /** How long the holder keeps trying to renew before it gives up leading (client-go's default). */
    @WithDefault("10s")
    Duration leaseRenewDeadline();

    /** How often candidates try to take the Lease, and the holder renews it (client-go's default). */
    @WithDefault("2s")
    Duration leaseRetryPeriod();
}

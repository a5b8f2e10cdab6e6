package io.ocimirror.rewrite;

import io.ocimirror.config.ConfigurationOwner;
import io.ocimirror.config.Mirror;
import io.ocimirror.config.MirrorConfiguration;
import io.ocimirror.reference.ImageReference;
import java.util.Optional;

/**
 * A reference to warm through a mirror.
 *
 * @param reference     the reference on the mirror's replication host
 * @param mirror        the mirror it belongs to (replication host, plain HTTP or HTTPS, CA bundle)
 * @param configuration the configuration snapshot the job uses from admission to its end (mode, platforms)
 * @param owner         whose configuration it is: replication presents the owner's credentials
 * @param origin        the object whose admission asked for it, when failures should be reported on that object
 */
public record ReplicationRequest(ImageReference reference, Mirror mirror, MirrorConfiguration configuration,
        ConfigurationOwner owner, Optional<ObjectOrigin> origin) {

    /** A request under the webhook's own configuration. */
    public ReplicationRequest(ImageReference reference, Mirror mirror, MirrorConfiguration configuration,
            Optional<ObjectOrigin> origin) {
        this(reference, mirror, configuration, ConfigurationOwner.WEBHOOK, origin);
    }

    /** Enough of a Kubernetes object to attach an Event to it. */
    public record ObjectOrigin(String apiVersion, String kind, String namespace, String name) {
    }
}

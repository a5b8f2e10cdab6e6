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
 * @param kind          how the client that pulls it reads its tag
 */
public record ReplicationRequest(ImageReference reference, Mirror mirror, MirrorConfiguration configuration,
        ConfigurationOwner owner, Optional<ObjectOrigin> origin, ArtifactKind kind) {

    /** How the client that pulls a reference reads its tag. */
    public enum ArtifactKind {
        /** A container runtime: the tag is a tag. */
        IMAGE,
        /**
         * Helm 3.8+ pulling an {@code oci://} chart: a version that is not a version is a constraint over the
         * repository's tags ({@code io.ocimirror.reference.VersionConstraint#readByHelm}).
         */
        HELM_CHART
    }

    /** An image request. */
    public ReplicationRequest(ImageReference reference, Mirror mirror, MirrorConfiguration configuration,
            ConfigurationOwner owner, Optional<ObjectOrigin> origin) {
        this(reference, mirror, configuration, owner, origin, ArtifactKind.IMAGE);
    }

    /** An image request under the webhook's own configuration. */
    public ReplicationRequest(ImageReference reference, Mirror mirror, MirrorConfiguration configuration,
            Optional<ObjectOrigin> origin) {
        this(reference, mirror, configuration, ConfigurationOwner.WEBHOOK, origin);
    }

    /** Enough of a Kubernetes object to attach an Event to it. */
    public record ObjectOrigin(String apiVersion, String kind, String namespace, String name) {
    }
}

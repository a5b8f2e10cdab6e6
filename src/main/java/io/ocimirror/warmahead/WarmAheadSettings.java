package io.ocimirror.warmahead;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code oci-mirror.warm-ahead.*}: whether workload templates are watched to warm their images ahead of Pods. */
@ConfigMapping(prefix = "oci-mirror.warm-ahead")
public interface WarmAheadSettings {

    /** Watch workload templates in opted-in namespaces; needs a Kubernetes client and the RBAC to list them. */
    @WithDefault("true")
    boolean enabled();
}

package io.ocimirror.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.util.Optional;

/** The webhook's own settings ({@code oci-mirror.*}); the mirror configuration itself lives in YAML. */
@ConfigMapping(prefix = "oci-mirror")
public interface WebhookSettings {

    /** Read the mirror configuration from this YAML file instead of a ConfigMap (no Kubernetes needed). */
    Optional<Path> configFile();

    ConfigMap configmap();

    Tls tls();

    interface ConfigMap {
        /** Defaults to the namespace the webhook runs in. */
        Optional<String> namespace();

        @WithDefault("oci-mirror-config")
        String name();

        @WithDefault("containerRegistryConfig")
        String key();
    }

    interface Tls {
        /** PEM serving certificate (chain); re-read when it changes on disk. */
        Path certFile();

        /** PEM private key of the serving certificate. */
        Path keyFile();
    }
}

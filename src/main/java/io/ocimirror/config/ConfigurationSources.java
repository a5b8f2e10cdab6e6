package io.ocimirror.config;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.util.Optional;

/** Starts the configured source at startup: the file when {@code oci-mirror.config-file} is set, else the ConfigMap. */
@ApplicationScoped
class ConfigurationSources {

    private static final String DEFAULT_NAMESPACE = "oci-mirror-system";

    private final WebhookSettings settings;
    private final MirrorConfigurationStore store;
    private final Instance<KubernetesClient> kubernetes;
    private AutoCloseable source;

    ConfigurationSources(WebhookSettings settings, MirrorConfigurationStore store, Instance<KubernetesClient> kubernetes) {
        this.settings = settings;
        this.store = store;
        this.kubernetes = kubernetes;
    }

    void start(@Observes StartupEvent event) {
        if (settings.configFile().isPresent()) {
            FileConfigurationSource file = new FileConfigurationSource(settings.configFile().get(), store);
            file.start();
            source = file;
        } else {
            KubernetesClient client = kubernetes.get();
            String namespace = settings.configmap().namespace()
                    .or(() -> Optional.ofNullable(client.getNamespace()))
                    .orElse(DEFAULT_NAMESPACE);
            ConfigMapConfigurationSource configMap = new ConfigMapConfigurationSource(
                    client, namespace, settings.configmap().name(), settings.configmap().key(), store);
            configMap.start();
            source = configMap;
        }
    }

    void stop(@Observes ShutdownEvent event) throws Exception {
        if (source != null) {
            source.close();
        }
    }
}

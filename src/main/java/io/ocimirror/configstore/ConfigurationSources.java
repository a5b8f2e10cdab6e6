package io.ocimirror.configstore;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.ocimirror.config.ConfigurationOwner;
import io.ocimirror.settings.WebhookSettings;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.nio.file.Path;

/** Starts the webhook's own configuration source at startup: the file when {@code oci-mirror.config-file} is set, else the ConfigMap. */
@ApplicationScoped
class ConfigurationSources {

    private final WebhookSettings settings;
    private final ConfigurationStore store;
    private final Instance<KubernetesClient> kubernetes;
    private final WebhookNamespace namespace;
    private final ConfigurationEvents events;
    private AutoCloseable source;

    ConfigurationSources(WebhookSettings settings, ConfigurationStore store, Instance<KubernetesClient> kubernetes,
            WebhookNamespace namespace, ConfigurationEvents events) {
        this.settings = settings;
        this.store = store;
        this.kubernetes = kubernetes;
        this.namespace = namespace;
        this.events = events;
    }

    void start(@Observes StartupEvent event) {
        if (settings.configFile().isPresent()) {
            Path file = settings.configFile().get();
            source = new WatchedFile(file, "mirror configuration", yaml -> store.apply(ConfigurationOwner.WEBHOOK, yaml, "file " + file)).start();
        } else {
            ConfigMapConfigurationSource configMap = new ConfigMapConfigurationSource(kubernetes.get(), namespace.get(),
                    settings.configmap().name(), settings.configmap().key(), store, events);
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

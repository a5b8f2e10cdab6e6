package io.ocimirror.configstore;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.ocimirror.settings.WebhookSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.util.Optional;

/** The namespace holding the webhook's ConfigMap and Secrets: configured, else the one the webhook runs in. */
@ApplicationScoped
public class WebhookNamespace {

    private static final String DEFAULT_NAMESPACE = "oci-mirror-system";

    private final WebhookSettings settings;
    private final Instance<KubernetesClient> kubernetes;

    public WebhookNamespace(WebhookSettings settings, Instance<KubernetesClient> kubernetes) {
        this.settings = settings;
        this.kubernetes = kubernetes;
    }

    public String get() {
        return settings.configmap().namespace()
                .or(() -> Optional.ofNullable(kubernetes.get().getNamespace()))
                .orElse(DEFAULT_NAMESPACE);
    }
}

package io.ocimirror.configstore;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.ocimirror.config.ConfigurationOwner;
import io.ocimirror.configstore.ConfigurationStore.Update;
import io.ocimirror.informers.Informers;
import org.jboss.logging.Logger;

/**
 * Watches the mirror ConfigMap; every add or change is handed to the store, a deletion keeps the last snapshot. A
 * rejected change is also a Warning Event on the ConfigMap.
 */
final class ConfigMapConfigurationSource implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ConfigMapConfigurationSource.class);

    private final KubernetesClient client;
    private final String namespace;
    private final String name;
    private final String key;
    private final ConfigurationStore store;
    private final ConfigurationEvents events;
    private SharedIndexInformer<ConfigMap> informer;

    ConfigMapConfigurationSource(KubernetesClient client, String namespace, String name, String key,
            ConfigurationStore store, ConfigurationEvents events) {
        this.client = client;
        this.namespace = namespace;
        this.name = name;
        this.key = key;
        this.store = store;
        this.events = events;
    }

    void start() {
        LOG.infof("Watching ConfigMap %s/%s key %s for the mirror configuration", namespace, name, key);
        informer = ConfigMapInformers.of(client, namespace, name, this::apply, () -> LOG.warnf(
                "ConfigMap %s/%s was deleted; keeping the last mirror configuration", namespace, name));
        // Non-blocking: an API server that is not reachable yet must not stop the webhook from starting; the
        // informer keeps retrying and readiness stays false until a configuration arrives.
        Informers.start(informer, "ConfigMap " + namespace + "/" + name);
    }

    private void apply(ConfigMap configMap) {
        String origin = "ConfigMap " + namespace + "/" + name + " key " + key;
        String yaml = configMap.getData() == null ? null : configMap.getData().get(key);
        if (store.apply(ConfigurationOwner.WEBHOOK, yaml == null ? "" : yaml, origin) instanceof Update.Rejected rejected) {
            events.warning(new ObjectReferenceBuilder()
                            .withApiVersion("v1").withKind("ConfigMap")
                            .withNamespace(namespace).withName(name).withUid(configMap.getMetadata().getUid())
                            .build(),
                    ConfigurationEvents.REJECTED,
                    "Key " + key + " rejected; in force: " + rejected.stillInForce() + ". " + rejected.problem());
        }
    }

    @Override
    public void close() {
        if (informer != null) {
            informer.close();
        }
    }
}

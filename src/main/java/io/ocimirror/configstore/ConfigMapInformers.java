package io.ocimirror.configstore;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.ocimirror.informers.Informers;
import java.util.function.Consumer;

/** Informers on one ConfigMap, by namespace and name: the webhook's own mirror ConfigMap and each organisation's. */
public final class ConfigMapInformers {

    private ConfigMapInformers() {
    }

    /**
     * An informer, not started yet (fabric8 {@code runnableInformer}, no resync), that hands every version of the
     * ConfigMap, added or changed, to {@code changed} and tells {@code deleted} when it goes.
     */
    public static SharedIndexInformer<ConfigMap> of(KubernetesClient client, String namespace, String name,
            Consumer<ConfigMap> changed, Runnable deleted) {
        SharedIndexInformer<ConfigMap> informer =
                client.configMaps().inNamespace(namespace).withName(name).runnableInformer(0);
        informer.addEventHandler(Informers.latestState(changed, configMap -> deleted.run()));
        return informer;
    }
}

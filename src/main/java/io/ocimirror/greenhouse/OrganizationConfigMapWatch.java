package io.ocimirror.greenhouse;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.ocimirror.config.ConfigMapInformers;
import java.util.concurrent.ForkJoinPool;
import org.jboss.logging.Logger;

/**
 * Watches the ConfigMap one organisation names in {@code configMapRef}, in the organisation's namespace, and hands
 * each version to {@link OrganizationSnapshots}. A ConfigMap that does not exist (once the first list is done) or
 * is deleted keeps the last good snapshot, as an invalid edit does.
 */
final class OrganizationConfigMapWatch implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(OrganizationConfigMapWatch.class);
    /** The key Greenhouse reads (internal/ocimirror/registry_mirror.go, registryMirrorConfigKey). */
    static final String CONFIG_KEY = "containerRegistryConfig";

    private final KubernetesClient client;
    private final Organization organization;
    private final String configMapName;
    private final OrganizationSnapshots snapshots;
    private final String origin;
    private volatile boolean closed;
    private SharedIndexInformer<ConfigMap> informer;

    OrganizationConfigMapWatch(KubernetesClient client, Organization organization, String configMapName,
            OrganizationSnapshots snapshots) {
        this.client = client;
        this.organization = organization;
        this.configMapName = configMapName;
        this.snapshots = snapshots;
        this.origin = "ConfigMap " + organization.name() + "/" + configMapName;
    }

    Organization organization() {
        return organization;
    }

    void start() {
        LOG.infof("Watching %s for the mirror configuration of organization %s", origin, organization.name());
        informer = ConfigMapInformers.of(client, organization.name(), configMapName, this::apply, () -> {
            if (!closed) {
                snapshots.reject(organization, origin + " was deleted");
            }
        });
        // The first list is done when start() completes: an empty store then means the ConfigMap does not exist.
        // The future completes on the HTTP client's event loop, where recording an Event (a blocking call) would
        // stall every watch: continue on another thread.
        informer.start().whenCompleteAsync((done, error) -> {
            if (closed) {
                return;
            }
            if (error != null) {
                LOG.warnf("Cannot watch %s: %s", origin, error.getMessage());
            } else if (informer.getStore().list().isEmpty()) {
                snapshots.reject(organization, origin + " named by spec.configMapRef does not exist");
            }
        }, ForkJoinPool.commonPool());
    }

    private void apply(ConfigMap configMap) {
        if (closed) {
            return;
        }
        String yaml = configMap.getData() == null ? null : configMap.getData().get(CONFIG_KEY);
        if (yaml == null) {
            snapshots.noMirrors(organization, origin + " has no key " + CONFIG_KEY);
        } else {
            snapshots.update(organization, yaml, origin + " key " + CONFIG_KEY);
        }
    }

    @Override
    public void close() {
        closed = true;
        if (informer != null) {
            informer.close();
        }
    }
}

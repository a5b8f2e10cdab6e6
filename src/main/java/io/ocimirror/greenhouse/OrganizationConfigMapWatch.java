package io.ocimirror.greenhouse;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.ocimirror.config.ConfigurationOwner;
import io.ocimirror.configstore.ConfigMapInformers;
import io.ocimirror.configstore.ConfigurationEvents;
import io.ocimirror.configstore.ConfigurationStore.Update;
import io.ocimirror.configstore.ConfigurationStore;
import java.util.concurrent.ForkJoinPool;
import org.jboss.logging.Logger;

/**
 * Watches the ConfigMap one organisation names in {@code configMapRef}, in the organisation's namespace, and hands
 * each version to the {@link ConfigurationStore} under the organisation's owner. An update is read as Greenhouse reads
 * it (unknown keys ignored, and named in a Warning Event); a ConfigMap that does not exist (once the first list is
 * done) or is deleted keeps the last good snapshot, as an invalid edit does, and is a Warning Event on the
 * Organization.
 */
final class OrganizationConfigMapWatch implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(OrganizationConfigMapWatch.class);
    /** The key Greenhouse reads (internal/ocimirror/registry_mirror.go, registryMirrorConfigKey). */
    static final String CONFIG_KEY = "containerRegistryConfig";

    private final KubernetesClient client;
    private final OrganizationResource organization;
    private final String configMapName;
    private final ConfigurationStore store;
    private final ConfigurationEvents events;
    private final ConfigurationOwner owner;
    private final String origin;
    private volatile boolean closed;
    private SharedIndexInformer<ConfigMap> informer;

    OrganizationConfigMapWatch(KubernetesClient client, OrganizationResource organization, String configMapName,
            ConfigurationStore store, ConfigurationEvents events) {
        this.client = client;
        this.organization = organization;
        this.configMapName = configMapName;
        this.store = store;
        this.events = events;
        this.owner = organization.owner();
        this.origin = "ConfigMap " + organization.name() + "/" + configMapName;
    }

    OrganizationResource organization() {
        return organization;
    }

    void start() {
        LOG.infof("Watching %s for the mirror configuration of organization %s", origin, organization.name());
        informer = ConfigMapInformers.of(client, organization.name(), configMapName, this::apply,
                () -> reject(origin + " was deleted"));
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
                reject(origin + " named by spec.configMapRef does not exist");
            }
        }, ForkJoinPool.commonPool());
    }

    /**
     * Store writes happen under this watch's lock and only while it is open, so that no late event brings back an
     * organisation whose watch was closed (and whose configuration was removed); Events are recorded outside it.
     */
    private void apply(ConfigMap configMap) {
        String yaml = configMap.getData() == null ? null : configMap.getData().get(CONFIG_KEY);
        String keyOrigin = origin + " key " + CONFIG_KEY;
        Update update;
        synchronized (this) {
            if (closed) {
                return;
            }
            if (yaml == null) {
                store.noMirrors(owner, origin + " has no key " + CONFIG_KEY);
                return;
            }
            update = store.apply(owner, yaml, keyOrigin);
        }
        if (update instanceof Update.Rejected rejected) {
            warn(ConfigurationEvents.REJECTED, rejected);
        } else if (update instanceof Update.Applied applied && !applied.ignoredKeys().isEmpty()) {
            events.warning(organization.reference(), ConfigurationEvents.KEYS_IGNORED, "Mirror configuration from "
                    + keyOrigin + " applied without the keys this webhook does not know: "
                    + String.join(", ", applied.ignoredKeys()));
        }
    }

    private void reject(String problem) {
        Update.Rejected rejected;
        synchronized (this) {
            if (closed) {
                return;
            }
            rejected = store.reject(owner, problem);
        }
        warn(ConfigurationEvents.REJECTED, rejected);
    }

    private void warn(String reason, Update.Rejected rejected) {
        events.warning(organization.reference(), reason,
                "Mirror configuration rejected; in force: " + rejected.stillInForce() + ". " + rejected.problem());
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        if (informer != null) {
            informer.close();
        }
    }
}

package io.ocimirror.greenhouse;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.ocimirror.config.ConfigurationOwner;
import io.ocimirror.configstore.ConfigurationEvents;
import io.ocimirror.configstore.ConfigurationStore;
import io.ocimirror.informers.Informers;
import io.ocimirror.settings.WebhookSettings;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.util.HashMap;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * With {@code oci-mirror.greenhouse.enabled}: watches every Organization and, for each, the ConfigMap its
 * {@code spec.configMapRef} names, so that an edit of either applies without a restart. Starting does not wait for
 * the API server: readiness does not depend on organisations.
 */
@ApplicationScoped
class OrganizationWatch {

    private static final Logger LOG = Logger.getLogger(OrganizationWatch.class);

    private final WebhookSettings settings;
    private final Instance<KubernetesClient> kubernetes;
    private final ConfigurationStore store;
    private final ConfigurationEvents events;
    private final Map<String, OrganizationConfigMapWatch> configMapWatches = new HashMap<>();
    private SharedIndexInformer<GenericKubernetesResource> informer;

    OrganizationWatch(WebhookSettings settings, Instance<KubernetesClient> kubernetes, ConfigurationStore store,
            ConfigurationEvents events) {
        this.settings = settings;
        this.kubernetes = kubernetes;
        this.store = store;
        this.events = events;
    }

    synchronized void start(@Observes StartupEvent event) {
        if (!settings.greenhouse().enabled()) {
            return;
        }
        LOG.info("Watching Greenhouse Organizations for their mirror configurations");
        informer = kubernetes.get().genericKubernetesResources(OrganizationResource.RESOURCE).runnableInformer(0);
        informer.addEventHandler(Informers.latestState(resource -> changed(OrganizationResource.from(resource)),
                resource -> deleted(resource.getMetadata().getName())));
        Informers.start(informer, "Greenhouse Organizations");
    }

    /** A new Organization, or one whose uid or configMapRef changed, gets a new ConfigMap watch. */
    private synchronized void changed(OrganizationResource organization) {
        OrganizationConfigMapWatch current = configMapWatches.get(organization.name());
        if (current != null && current.organization().equals(organization)) {
            return;
        }
        if (current != null) {
            current.close();
            configMapWatches.remove(organization.name());
        }
        if (organization.configMapRef().isEmpty()) {
            store.noMirrors(organization.owner(), "the Organization has no spec.configMapRef");
            return;
        }
        OrganizationConfigMapWatch watch = new OrganizationConfigMapWatch(kubernetes.get(), organization,
                organization.configMapRef().get(), store, events);
        configMapWatches.put(organization.name(), watch);
        watch.start();
    }

    private synchronized void deleted(String name) {
        OrganizationConfigMapWatch watch = configMapWatches.remove(name);
        if (watch != null) {
            watch.close();
        }
        store.remove(ConfigurationOwner.organization(name));
    }

    synchronized void stop(@Observes ShutdownEvent event) {
        configMapWatches.values().forEach(OrganizationConfigMapWatch::close);
        configMapWatches.clear();
        if (informer != null) {
            informer.close();
        }
    }
}

package io.ocimirror.warmahead;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.ocimirror.informers.Informers;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * With {@code oci-mirror.warm-ahead.enabled} and a Kubernetes client: watches the Namespaces labelled
 * {@value #ENABLED_LABEL} (a label-selected informer) and keeps the {@link NamespaceWorkloads} of those whose label
 * is {@code true} or {@code observe} running, the values the MutatingWebhookConfiguration selects. Starting does not
 * wait for the API server.
 */
@ApplicationScoped
class WarmAhead {

    static final String ENABLED_LABEL = "oci-mirror.io/enabled";
    private static final Set<String> OPTED_IN = Set.of("true", "observe");
    private static final Logger LOG = Logger.getLogger(WarmAhead.class);

    private final WarmAheadSettings settings;
    private final Instance<KubernetesClient> kubernetes;
    private final TemplateWarmer warmer;
    private final ObjectMapper mapper;
    private final Map<String, NamespaceWorkloads> watched = new HashMap<>();
    private SharedIndexInformer<Namespace> namespaces;

    WarmAhead(WarmAheadSettings settings, Instance<KubernetesClient> kubernetes, TemplateWarmer warmer,
            ObjectMapper mapper) {
        this.settings = settings;
        this.kubernetes = kubernetes;
        this.warmer = warmer;
        this.mapper = mapper;
    }

    synchronized void start(@Observes StartupEvent event) {
        if (!settings.enabled() || !kubernetes.isResolvable()) {
            return;
        }
        LOG.info("Warming the images of workload templates ahead of their Pods in namespaces labelled "
                + ENABLED_LABEL);
        namespaces = kubernetes.get().namespaces().withLabel(ENABLED_LABEL).runnableInformer(0);
        namespaces.addEventHandler(Informers.latestState(this::changed,
                namespace -> stopWatching(namespace.getMetadata().getName())));
        Informers.start(namespaces, "Namespaces to warm workload images ahead");
    }

    private synchronized void changed(Namespace namespace) {
        String name = namespace.getMetadata().getName();
        boolean optedIn = OPTED_IN.contains(namespace.getMetadata().getLabels().getOrDefault(ENABLED_LABEL, ""));
        if (!optedIn) {
            stopWatching(name);
        } else if (!watched.containsKey(name)) {
            NamespaceWorkloads workloads = new NamespaceWorkloads(name, warmer, mapper);
            watched.put(name, workloads);
            workloads.start(kubernetes.get());
        }
    }

    private synchronized void stopWatching(String namespace) {
        NamespaceWorkloads workloads = watched.remove(namespace);
        if (workloads != null) {
            workloads.close();
        }
    }

    synchronized void stop(@Observes ShutdownEvent event) {
        watched.values().forEach(NamespaceWorkloads::close);
        watched.clear();
        if (namespaces != null) {
            namespaces.close();
        }
    }
}

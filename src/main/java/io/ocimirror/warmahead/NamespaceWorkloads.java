package io.ocimirror.warmahead;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.ocimirror.informers.Informers;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The workload informers of one opted-in namespace, one per {@link WorkloadKind}: a template that is created, or
 * whose images change, is warmed; an update that leaves the images alone (replicas, labels) is not.
 */
final class NamespaceWorkloads {

    private final String namespace;
    private final TemplateWarmer warmer;
    private final ObjectMapper mapper;
    private final List<SharedIndexInformer<GenericKubernetesResource>> informers = new ArrayList<>();

    NamespaceWorkloads(String namespace, TemplateWarmer warmer, ObjectMapper mapper) {
        this.namespace = namespace;
        this.warmer = warmer;
        this.mapper = mapper;
    }

    /** Starts the informers without waiting for them to sync; a failure to start is one WARN line per kind. */
    void start(KubernetesClient client) {
        for (WorkloadKind kind : WorkloadKind.values()) {
            SharedIndexInformer<GenericKubernetesResource> informer = client
                    .genericKubernetesResources(kind.apiVersion(), kind.kind()).inNamespace(namespace)
                    .runnableInformer(0);
            informer.addEventHandler(new ResourceEventHandler<>() {
                @Override
                public void onAdd(GenericKubernetesResource workload) {
                    pod(kind, workload).ifPresent(pod -> warmer.warm(namespace, pod));
                }

                @Override
                public void onUpdate(GenericKubernetesResource before, GenericKubernetesResource after) {
                    Optional<JsonNode> pod = pod(kind, after);
                    List<String> imagesBefore = pod(kind, before).map(TemplateImages::of).orElse(List.of());
                    if (pod.isPresent() && !TemplateImages.of(pod.get()).equals(imagesBefore)) {
                        warmer.warm(namespace, pod.get());
                    }
                }

                @Override
                public void onDelete(GenericKubernetesResource workload, boolean finalStateUnknown) {
                    // Nothing to warm for a workload that is gone.
                }
            });
            Informers.start(informer, kind.kind() + "s in namespace " + namespace + " to warm their images ahead");
            informers.add(informer);
        }
    }

    void close() {
        informers.forEach(SharedIndexInformer::close);
        informers.clear();
    }

    private Optional<JsonNode> pod(WorkloadKind kind, GenericKubernetesResource workload) {
        return kind.pod(mapper.valueToTree(workload)).map(JsonNode.class::cast);
    }
}

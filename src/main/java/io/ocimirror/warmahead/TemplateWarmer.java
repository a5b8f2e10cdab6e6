package io.ocimirror.warmahead;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.ocimirror.admission.AdmissionRequest;
import io.ocimirror.admission.ObjectOptOut;
import io.ocimirror.admission.PodHandler;
import io.ocimirror.admission.Rewriter;
import io.ocimirror.config.OwnedConfiguration;
import io.ocimirror.greenhouse.MirrorConfigurationRouter;
import io.ocimirror.rewrite.ReplicationRequest;
import io.ocimirror.rewrite.ReplicationScheduler;
import io.ocimirror.rewrite.RewriteGate;
import io.ocimirror.rewrite.RewriteMode;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/**
 * Schedules replication for the Pod a template makes, as admission of that Pod would: under the configuration of the
 * namespace's owner, with the object opt-outs, pull policies, platforms and de-duplication of
 * {@link PodHandler}. Nothing is rewritten or counted as an admission; the gate is not asked (it decides rewrites,
 * not replication).
 */
@ApplicationScoped
class TemplateWarmer {

    /** The label that leaves an object out before the API server calls the webhook (its objectSelector). */
    static final String SKIP_LABEL = "oci-mirror.io/skip";

    private final MirrorConfigurationRouter configurations;
    private final ReplicationScheduler replication;
    private final PodHandler pods;

    TemplateWarmer(MirrorConfigurationRouter configurations, ReplicationScheduler replication, ObjectMapper mapper) {
        this.configurations = configurations;
        this.replication = replication;
        this.pods = new PodHandler(mapper, new Rewriter(RewriteGate.ALWAYS));
    }

    /**
     * @param namespace the namespace of the workload
     * @param pod       the Pod its template makes
     * @return the replication requests scheduled (each then de-duplicated and bounded by the queue)
     */
    List<ReplicationRequest> warm(String namespace, JsonNode pod) {
        if (pod.path("metadata").path("labels").path(SKIP_LABEL).asText("").equals("true")) {
            return List.of();
        }
        Optional<OwnedConfiguration> owned = configurations.forRequest(namespace, "", "pods");
        AdmissionRequest request = new AdmissionRequest("warm-ahead", "", "pods", "", "CREATE", namespace, false, pod,
                MissingNode.getInstance());
        if (owned.isEmpty() || ObjectOptOut.of(request, owned.get().snapshot()).isPresent()) {
            return List.of();
        }
        List<ReplicationRequest> requests = pods.handle(request, owned.get(), RewriteMode.OBSERVE).replications();
        requests.forEach(replication::schedule);
        return requests;
    }
}

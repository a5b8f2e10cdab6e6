package io.ocimirror.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ocimirror.admission.AdmissionOutcome;
import io.ocimirror.admission.AdmissionRequest;
import io.ocimirror.admission.ObjectOptOut;
import io.ocimirror.admission.PodHandler;
import io.ocimirror.admission.ReferenceDecision;
import io.ocimirror.admission.Rewriter;
import io.ocimirror.config.MirrorConfiguration;
import io.ocimirror.config.OwnedConfiguration;
import io.ocimirror.greenhouse.MirrorConfigurationRouter;
import io.ocimirror.replication.MirrorHealth;
import io.ocimirror.replication.ReplicationQueue;
import io.ocimirror.rewrite.ReplicationRequest;
import io.ocimirror.rewrite.RewriteMode;
import io.ocimirror.rewrite.RewriteOutcome;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/**
 * What admission would decide now for an image in a Pod of a namespace, with the live state the offline
 * {@code explain} command lacks: the configuration of the namespace's owner, the gate's answer from
 * {@link MirrorHealth} (not counted as a held-back rewrite), the breaker of the replication host, whether the
 * reference failed within {@code failed-window}, and its last replication job. Nothing is scheduled or counted.
 */
@ApplicationScoped
public class LiveExplainer {

    private final MirrorConfigurationRouter configurations;
    private final MirrorHealth health;
    private final ReplicationQueue queue;
    private final PodHandler pods;

    public LiveExplainer(MirrorConfigurationRouter configurations, MirrorHealth health, ReplicationQueue queue,
            ObjectMapper mapper) {
        this.configurations = configurations;
        this.health = health;
        this.queue = queue;
        this.pods = new PodHandler(mapper, new Rewriter(health::wouldHoldBack));
    }

    /**
     * @param image     the image as a Pod would name it
     * @param namespace the Pod's namespace
     * @return {@code image}, {@code namespace}, {@code owner} (absent when no configuration applies) and
     *     {@code explanations}: per reference the fields of {@code explain --output json} and, when it is
     *     replicated, {@code gate}, {@code breaker}, {@code recentlyFailed} and {@code lastJob}
     */
    public ObjectNode explain(String image, String namespace) {
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("image", image).put("namespace", namespace);
        ArrayNode explanations = body.putArray("explanations");
        Optional<OwnedConfiguration> owned = configurations.forRequest(namespace, "", "pods");
        if (owned.isEmpty()) {
            return body;
        }
        body.put("owner", owned.get().owner().toString());
        MirrorConfiguration snapshot = owned.get().snapshot();
        AdmissionRequest request = ExplainCommand.requestFor(ExplainCommand.podOf(List.of(image)), namespace)
                .orElseThrow();
        Optional<RewriteOutcome.Skipped.Reason> optOut = ObjectOptOut.of(request, snapshot);
        if (optOut.isPresent()) {
            explanations.add(ReferenceExplanation.skipped("object", "explain", new RewriteOutcome.Skipped(optOut.get()))
                    .toJson());
            return body;
        }
        AdmissionOutcome outcome = pods.handle(request, owned.get(), RewriteMode.OBSERVE);
        MirrorConfiguration.ReplicationScope scope = outcome.replications().stream().findFirst()
                .map(r -> r.configuration().replication())
                .orElse(snapshot.replication());
        for (ReferenceDecision decision : outcome.decisions()) {
            ReferenceExplanation explanation = ReferenceExplanation.of(decision, scope);
            ObjectNode json = explanation.toJson();
            outcome.replications().stream()
                    .filter(r -> explanation.replication().equals(Optional.of(r.reference().toString())))
                    .findFirst()
                    .ifPresent(replication -> addLiveState(json, decision.outcome(), replication));
            explanations.add(json);
        }
        return body;
    }

    private void addLiveState(ObjectNode json, RewriteOutcome outcome, ReplicationRequest replication) {
        json.put("gate", outcome instanceof RewriteOutcome.HeldBack held ? held.reason().code() : "lets-through");
        String host = replication.mirror().replicationHost();
        json.put("breaker", health.describe().getOrDefault(host, "available"));
        json.put("recentlyFailed", queue.failedRecently(replication));
        queue.endedJobs().last(replication.reference().toString())
                .ifPresent(job -> json.set("lastJob", ReplicationsEndpoint.toJson(job)));
    }
}

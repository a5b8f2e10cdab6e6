package io.ocimirror.warmahead;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/** The workloads whose Pod template is warmed ahead, with where the template is and who owns the Pods it makes. */
enum WorkloadKind {
    DEPLOYMENT("apps/v1", "Deployment", "/spec/template", "ReplicaSet"),
    STATEFUL_SET("apps/v1", "StatefulSet", "/spec/template", "StatefulSet"),
    DAEMON_SET("apps/v1", "DaemonSet", "/spec/template", "DaemonSet"),
    REPLICA_SET("apps/v1", "ReplicaSet", "/spec/template", "ReplicaSet"),
    JOB("batch/v1", "Job", "/spec/template", "Job"),
    CRON_JOB("batch/v1", "CronJob", "/spec/jobTemplate/spec/template", "Job");

    private final String apiVersion;
    private final String kind;
    private final JsonPointer template;
    private final String podOwnerKind;

    WorkloadKind(String apiVersion, String kind, String template, String podOwnerKind) {
        this.apiVersion = apiVersion;
        this.kind = kind;
        this.template = JsonPointer.compile(template);
        this.podOwnerKind = podOwnerKind;
    }

    String apiVersion() {
        return apiVersion;
    }

    String kind() {
        return kind;
    }

    /**
     * The Pod the workload's controller would create next, as admission would see it: the template's metadata and
     * spec, owned by the controller that creates it (for the configured owner exclusions).
     *
     * @param workload the workload as JSON
     * @return the Pod, or empty when the workload has no template
     */
    Optional<ObjectNode> pod(JsonNode workload) {
        JsonNode podTemplate = workload.at(template);
        if (!podTemplate.path("spec").isObject()) {
            return Optional.empty();
        }
        ObjectNode pod = JsonNodeFactory.instance.objectNode().put("apiVersion", "v1").put("kind", "Pod");
        ObjectNode metadata = podTemplate.path("metadata").isObject()
                ? ((ObjectNode) podTemplate.path("metadata")).deepCopy()
                : JsonNodeFactory.instance.objectNode();
        metadata.putArray("ownerReferences").addObject().put("apiVersion", apiVersion).put("kind", podOwnerKind)
                .put("name", workload.path("metadata").path("name").asText("")).put("controller", true);
        pod.set("metadata", metadata);
        pod.set("spec", podTemplate.path("spec").deepCopy());
        return Optional.of(pod);
    }
}

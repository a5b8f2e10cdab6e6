package io.ocimirror.admission;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The parts of an {@code admission.k8s.io/v1} AdmissionRequest the handlers use.
 *
 * @param uid         echoed in the response
 * @param group       {@code request.resource.group} ({@code ""} for the core group)
 * @param resource    {@code request.resource.resource}, e.g. {@code pods}
 * @param subResource {@code request.subResource}, {@code ""} when absent
 * @param operation   CREATE, UPDATE, DELETE or CONNECT
 * @param namespace   {@code ""} for cluster-scoped objects
 * @param dryRun      no side effects may follow (no replication)
 * @param object      the object as it would be stored; a missing node when absent
 * @param oldObject   the stored object on UPDATE; a missing node when absent
 */
public record AdmissionRequest(
        String uid,
        String group,
        String resource,
        String subResource,
        String operation,
        String namespace,
        boolean dryRun,
        JsonNode object,
        JsonNode oldObject) {

    public boolean isCreate() {
        return "CREATE".equals(operation);
    }

    public boolean isUpdate() {
        return "UPDATE".equals(operation);
    }
}

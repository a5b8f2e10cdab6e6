package io.ocimirror.admission;

import io.ocimirror.rewrite.ReplicationRequest;
import java.util.List;

/**
 * What a handler decided: always an admission (this webhook never denies), possibly with a patch, warnings for the
 * user, and references to replicate once the request is known not to be a dry run.
 *
 * @param rewrittenRegistries the source registry of every reference the patch rewrites (for the rewrite metrics)
 * @param decisions           the decision for each reference the handler looked at, in the order of the object
 */
public record AdmissionOutcome(JsonPatch patch, List<String> warnings, List<ReplicationRequest> replications,
        List<String> rewrittenRegistries, List<ReferenceDecision> decisions) {

    /** Admitted untouched, with nothing decided. */
    public static AdmissionOutcome allowed() {
        return new AdmissionOutcome(new JsonPatch(), List.of(), List.of(), List.of(), List.of());
    }

    /** Admitted untouched, with a warning for the user. */
    public static AdmissionOutcome allowedWithWarning(String warning) {
        return new AdmissionOutcome(new JsonPatch(), List.of(warning), List.of(), List.of(), List.of());
    }

    /** Admitted untouched, with the decisions that left every reference as written. */
    public static AdmissionOutcome untouched(List<ReferenceDecision> decisions) {
        return new AdmissionOutcome(new JsonPatch(), List.of(), List.of(), List.of(), List.copyOf(decisions));
    }

    public boolean isPatched() {
        return !patch.isEmpty();
    }
}

package io.ocimirror.web;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ocimirror.admission.ReferenceDecision;
import io.ocimirror.config.MirrorConfiguration.ReplicationScope;
import io.ocimirror.rewrite.Rewrite;
import io.ocimirror.rewrite.RewriteOutcome.Unchanged;
import io.ocimirror.rewrite.RewriteOutcome;
import java.util.List;
import java.util.Optional;

/**
 * One reference explained for people and scripts: the decision, where the reference would point, where it would be
 * replicated through, the platforms replication would warm, and the rule that decided.
 *
 * @param key         where the reference is ({@code oci-mirror.io/original-images} keys)
 * @param reference   the reference as written
 * @param decision    the decision's short code ({@link RewriteOutcome#code()})
 * @param mirrored    the reference on the mirror, when a mirror applies
 * @param replication the reference replication requests through the replication host, when one is warmed
 * @param platforms   the platforms replication would warm ({@code os/arch}, or {@code all}), when one is warmed
 * @param rule        the configuration key that decided ({@code registryMirrors.<registry>}, {@code exclude.images}),
 *                    when one did
 */
record ReferenceExplanation(String key, String reference, String decision, Optional<String> mirrored,
        Optional<String> replication, List<String> platforms, Optional<String> rule) {

    /**
     * @param decision what admission decided for the reference
     * @param scope    what replication warms for the object's references
     */
    static ReferenceExplanation of(ReferenceDecision decision, ReplicationScope scope) {
        RewriteOutcome outcome = decision.outcome();
        Optional<Rewrite> rewrite = outcome instanceof RewriteOutcome.Rewritten rewritten
                ? Optional.of(rewritten.rewrite())
                : outcome instanceof RewriteOutcome.HeldBack held ? Optional.of(held.rewrite()) : Optional.empty();
        Optional<Rewrite> warmed = outcome.replication();
        Optional<String> rule = rewrite.or(() -> warmed)
                .map(r -> "registryMirrors." + r.mirror().sourceRegistry())
                .or(() -> outcome instanceof Unchanged unchanged && unchanged.reason() == Unchanged.Reason.EXCLUDED
                        ? Optional.of("exclude.images")
                        : Optional.empty());
        List<String> platforms = warmed.isEmpty() ? List.of()
                : scope.platforms().isEmpty() ? List.of("all")
                : scope.platforms().stream().map(Object::toString).toList();
        return new ReferenceExplanation(decision.key(), decision.asWritten(), outcome.code(),
                rewrite.map(r -> r.pull().toString()), warmed.map(r -> r.replication().toString()), platforms, rule);
    }

    /** An object-level opt-out: the reference is not looked at. */
    static ReferenceExplanation skipped(String key, String reference, RewriteOutcome.Skipped skipped) {
        return new ReferenceExplanation(key, reference, skipped.code(), Optional.empty(), Optional.empty(), List.of(),
                Optional.empty());
    }

    /** The explanation as a JSON object; absent parts are left out. */
    ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode().put("key", key).put("reference", reference)
                .put("decision", decision);
        mirrored.ifPresent(value -> json.put("mirrored", value));
        replication.ifPresent(value -> json.put("replication", value));
        if (!platforms.isEmpty()) {
            platforms.forEach(json.putArray("platforms")::add);
        }
        rule.ifPresent(value -> json.put("rule", value));
        return json;
    }

    /** The explanation as one line of text. */
    String toText() {
        StringBuilder text = new StringBuilder(key).append(": ").append(reference).append(" -> ").append(decision);
        mirrored.ifPresent(value -> text.append("; mirrored: ").append(value));
        replication.ifPresent(value -> text.append("; replicated through: ").append(value));
        if (!platforms.isEmpty()) {
            text.append("; platforms: ").append(String.join(", ", platforms));
        }
        rule.ifPresent(value -> text.append("; rule: ").append(value));
        return text.toString();
    }
}

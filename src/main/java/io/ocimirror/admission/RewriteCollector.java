package io.ocimirror.admission;

import com.fasterxml.jackson.databind.JsonNode;
import io.ocimirror.config.MirrorConfiguration;
import io.ocimirror.reference.ImageReference;
import io.ocimirror.reference.InvalidReferenceException;
import io.ocimirror.replication.ReplicationRequest;
import io.ocimirror.replication.ReplicationRequest.ObjectOrigin;
import io.ocimirror.rewrite.Rewrite;
import io.ocimirror.rewrite.RewriteGate;
import io.ocimirror.rewrite.RewriteRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Applies the rewrite rule to the references of one admission request and gathers what the response needs: warnings
 * for references that cannot be read, and the references to replicate.
 */
final class RewriteCollector {

    /** Kubernetes shows warnings to users; keep quoted input short so hostile values cannot flood them. */
    private static final int MAX_QUOTED_LENGTH = 80;

    private final MirrorConfiguration configuration;
    private final RewriteGate gate;
    private final Optional<ObjectOrigin> origin;
    private final List<String> warnings = new ArrayList<>();
    private final List<ReplicationRequest> replications = new ArrayList<>();
    private final List<String> rewrittenRegistries = new ArrayList<>();

    RewriteCollector(MirrorConfiguration configuration, RewriteGate gate, Optional<ObjectOrigin> origin) {
        this.configuration = configuration;
        this.gate = gate;
        this.origin = origin;
    }

    /**
     * Rewrites an image field and queues the result for replication; a value that is not a valid reference is left
     * alone with a warning. The caller patches a returned rewrite that {@linkplain Rewrite#changesReference() changes
     * the reference}.
     */
    Optional<Rewrite> rewriteImage(JsonNode value, String field, ImageRewrites rewrites) {
        if (!value.isTextual()) {
            warn(field + " is not a string (" + value.getNodeType().name().toLowerCase(Locale.ROOT) + "); left unchanged");
            return Optional.empty();
        }
        try {
            return collect(rewrites.rewrite(value.asText(), configuration), true);
        } catch (InvalidReferenceException e) {
            warnInvalid(field, e);
            return Optional.empty();
        }
    }

    void warnInvalid(String field, InvalidReferenceException invalid) {
        warn(field + " \"" + quote(invalid.input()) + "\" is not a valid reference (" + invalid.reason().description()
                + "); left unchanged");
    }

    /**
     * Applies the rewrite rule and queues the result for replication when {@code replicate} holds. The caller patches
     * every returned rewrite that {@linkplain Rewrite#changesReference() changes the reference}.
     */
    Optional<Rewrite> rewrite(ImageReference reference, boolean replicate) {
        return collect(RewriteRule.apply(reference, configuration), replicate);
    }

    /** Holds back what the gate does not allow yet, and records replication and metrics. */
    private Optional<Rewrite> collect(Optional<Rewrite> ruled, boolean replicate) {
        Optional<Rewrite> rewrite = ruled
                .map(r -> !r.changesReference() || gate.allows(r) ? r : r.keepingOriginal());
        rewrite.ifPresent(r -> {
            if (replicate) {
                replications.add(new ReplicationRequest(r.replication(), r.mirror(), configuration, origin));
            }
            if (r.changesReference()) {
                rewrittenRegistries.add(r.mirror().sourceRegistry());
            }
        });
        return rewrite;
    }

    void warn(String warning) {
        warnings.add(warning);
    }

    AdmissionOutcome outcome(JsonPatch patch) {
        return new AdmissionOutcome(patch, List.copyOf(warnings), List.copyOf(replications),
                List.copyOf(rewrittenRegistries));
    }

    private static String quote(String text) {
        String printable = text.codePoints()
                .map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                .toString();
        return printable.codePointCount(0, printable.length()) <= MAX_QUOTED_LENGTH
                ? printable
                : printable.substring(0, printable.offsetByCodePoints(0, MAX_QUOTED_LENGTH)) + "...";
    }
}

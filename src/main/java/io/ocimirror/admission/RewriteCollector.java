package io.ocimirror.admission;

import com.fasterxml.jackson.databind.JsonNode;
import io.ocimirror.config.MirrorConfiguration;
import io.ocimirror.reference.ImageReference;
import io.ocimirror.reference.InvalidReferenceException;
import io.ocimirror.rewrite.ReplicationRequest;
import io.ocimirror.rewrite.ReplicationRequest.ObjectOrigin;
import io.ocimirror.rewrite.Rewrite;
import io.ocimirror.rewrite.RewriteOutcome;
import io.ocimirror.rewrite.RewriteOutcome.CannotMirror;
import io.ocimirror.rewrite.RewriteOutcome.Rewritten;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Rewrites the references of one admission request through the {@link Rewriter} and gathers what the response
 * needs: warnings for references that stay as written for a reason the user should know, the references to
 * replicate, and the rewrite metrics.
 */
final class RewriteCollector {

    /** Kubernetes shows warnings to users; keep quoted input short so hostile values cannot flood them. */
    private static final int MAX_QUOTED_LENGTH = 80;

    private final Rewriter rewriter;
    private final MirrorConfiguration configuration;
    private final MirrorConfiguration replicationSnapshot;
    private final Optional<ObjectOrigin> origin;
    private final List<String> warnings = new ArrayList<>();
    private final List<ReplicationRequest> replications = new ArrayList<>();
    private final List<String> rewrittenRegistries = new ArrayList<>();

    /**
     * @param replicationSnapshot the snapshot replication jobs run under: {@code configuration}, or it with the
     *                            platforms of the object's nodes
     * @param origin              the object replication failures are reported on, when it has one
     */
    RewriteCollector(Rewriter rewriter, MirrorConfiguration configuration, MirrorConfiguration replicationSnapshot,
            Optional<ObjectOrigin> origin) {
        this.rewriter = rewriter;
        this.configuration = configuration;
        this.replicationSnapshot = replicationSnapshot;
        this.origin = origin;
    }

    /**
     * Rewrites an image field and queues what the outcome says to replicate; a value that is not a string, or that
     * cannot be mirrored, is left alone with a warning.
     *
     * @return the reference to patch the field to, when it changes
     */
    Optional<ImageReference> image(JsonNode value, String field) {
        if (!value.isTextual()) {
            warn(field + " is not a string (" + value.getNodeType().name().toLowerCase(Locale.ROOT) + "); left unchanged");
            return Optional.empty();
        }
        return collect(rewriter.rewrite(value.asText(), configuration), field, value.asText(), true)
                .map(Rewrite::pull);
    }

    /**
     * Rewrites a reference built from an object's fields, and queues it for replication when {@code replicate}.
     *
     * @return the rewrite to patch the object with, when it changes the reference
     */
    Optional<Rewrite> reference(ImageReference reference, String field, String asWritten, boolean replicate) {
        return collect(rewriter.rewrite(reference, configuration), field, asWritten, replicate);
    }

    /** What the rule alone rewrites an image to: see {@link Rewriter#mirroredForm}. */
    Optional<ImageReference> mirroredForm(String image) {
        return rewriter.mirroredForm(image, configuration);
    }

    private Optional<Rewrite> collect(RewriteOutcome outcome, String field, String asWritten, boolean replicate) {
        if (replicate) {
            outcome.replication().ifPresent(r -> replications.add(
                    new ReplicationRequest(r.replication(), r.mirror(), replicationSnapshot, origin)));
        }
        if (outcome instanceof CannotMirror cannot) {
            warnCannotMirror(field, asWritten, cannot);
        }
        if (outcome instanceof Rewritten rewritten) {
            rewrittenRegistries.add(rewritten.rewrite().mirror().sourceRegistry());
            return Optional.of(rewritten.rewrite());
        }
        return Optional.empty();
    }

    private void warnCannotMirror(String field, String asWritten, CannotMirror cannot) {
        String subject = field + " \"" + quote(asWritten) + "\"";
        warn(switch (cannot.problem()) {
            case INVALID_REFERENCE -> subject + " is not a valid reference (" + cannot.detail() + "); left unchanged";
            case MIRRORED_NAME_TOO_LONG -> subject + " cannot be mirrored: its name on the mirror would be longer than"
                    + " 255 characters, which many clients refuse; left unchanged";
            case MIRRORED_REFERENCE_INVALID -> subject + " cannot be mirrored: its mirrored form would not be a valid"
                    + " reference; left unchanged";
            case INTERNAL_ERROR -> subject + " could not be rewritten (internal error); left unchanged";
        });
    }

    void warnInvalid(String field, InvalidReferenceException invalid) {
        warn(field + " \"" + quote(invalid.input()) + "\" is not a valid reference (" + invalid.reason().description()
                + "); left unchanged");
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

package io.ocimirror.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.benmanes.caffeine.cache.Cache;
import io.ocimirror.config.ConfigurationOwner;
import io.ocimirror.config.MirrorConfiguration;
import io.ocimirror.reference.ImageReference;
import io.ocimirror.reference.InvalidReferenceException;
import io.ocimirror.rewrite.ReplicationRequest.ArtifactKind;
import io.ocimirror.rewrite.ReplicationRequest.ObjectOrigin;
import io.ocimirror.rewrite.ReplicationRequest;
import io.ocimirror.rewrite.Rewrite;
import io.ocimirror.rewrite.RewriteGate;
import io.ocimirror.rewrite.RewriteOutcome.CannotMirror;
import io.ocimirror.rewrite.RewriteOutcome.HeldBack;
import io.ocimirror.rewrite.RewriteOutcome.Rewritten;
import io.ocimirror.rewrite.RewriteOutcome;
import io.ocimirror.rewrite.RewriteRule;
import io.ocimirror.text.ReadableInput;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Rewrites the references of one admission request and gathers what the response needs: warnings for references
 * that stay as written for a reason the user should know, the references to replicate, and the rewrite metrics.
 * Each reference goes through the rewrite rule (remembered per snapshot for image strings, see {@link Rewriter}),
 * then the gate. Never throws: even a bug in the rule costs one reference, which stays as written, not the object.
 */
final class RewriteCollector {

    private static final Logger LOG = Logger.getLogger(RewriteCollector.class);

    /** Kubernetes shows warnings to users; keep quoted input short so hostile values cannot flood them. */
    private static final int MAX_QUOTED_LENGTH = 80;

    private final Cache<Rewriter.Key, RewriteOutcome> remembered;
    private final RewriteGate gate;
    private final MirrorConfiguration configuration;
    private final MirrorConfiguration replicationSnapshot;
    private final ConfigurationOwner owner;
    private final Optional<ObjectOrigin> origin;
    private final List<String> warnings = new ArrayList<>();
    private final List<ReplicationRequest> replications = new ArrayList<>();
    private final List<String> rewrittenRegistries = new ArrayList<>();

    /** See {@link Rewriter#collector}. */
    RewriteCollector(Cache<Rewriter.Key, RewriteOutcome> remembered, RewriteGate gate,
            MirrorConfiguration configuration, MirrorConfiguration replicationSnapshot, ConfigurationOwner owner,
            Optional<ObjectOrigin> origin) {
        this.remembered = remembered;
        this.gate = gate;
        this.configuration = configuration;
        this.replicationSnapshot = replicationSnapshot;
        this.owner = owner;
        this.origin = origin;
    }

    /**
     * Rewrites an image field and queues what the outcome says to replicate; a value that is not a string, or that
     * cannot be mirrored, is left alone with a warning.
     *
     * @return the decision; {@link Rewritten} holds the reference to patch the field to
     */
    RewriteOutcome image(JsonNode value, String field) {
        if (!value.isTextual()) {
            String type = value.getNodeType().name().toLowerCase(Locale.ROOT);
            warn(field + " is not a string (" + type + "); left unchanged");
            return new CannotMirror(type, CannotMirror.Problem.INVALID_REFERENCE, "not a string");
        }
        String image = value.asText();
        return collect(guarded(image, () -> gated(ruled(image))), field, image, true, ArtifactKind.IMAGE);
    }

    /**
     * Rewrites a reference built from an object's fields, and queues it for replication when {@code replicate}.
     *
     * @param kind how the client that pulls it reads its tag
     * @return the decision; {@link Rewritten} holds the rewrite to patch the object with
     */
    RewriteOutcome reference(ImageReference reference, String field, String asWritten, boolean replicate,
            ArtifactKind kind) {
        return collect(guarded(reference.toString(), () -> gated(RewriteRule.apply(reference, configuration))), field,
                asWritten, replicate, kind);
    }

    /** What the rule alone rewrites an image to: see {@link Rewriter#mirroredForm}. */
    Optional<ImageReference> mirroredForm(String image) {
        return rewriteOf(image).map(Rewrite::pull);
    }

    /** The rule's rewrite of an image as written, whatever its mirror's state; empty when it is left as it is. */
    Optional<Rewrite> rewriteOf(String image) {
        return rewriteOf(guarded(image, () -> ruled(image)));
    }

    /** The same for a reference built from an object's fields (a chart), not remembered. */
    Optional<ImageReference> mirroredForm(ImageReference reference) {
        return rewriteOf(guarded(reference.toString(), () -> RewriteRule.apply(reference, configuration)))
                .map(Rewrite::pull);
    }

    /** The rule's outcome for an image as written, remembered unless the string is overly long. */
    private RewriteOutcome ruled(String image) {
        return image.length() <= Rewriter.MAX_REMEMBERED_LENGTH
                ? remembered.get(new Rewriter.Key(configuration, image), key -> RewriteRule.apply(image, configuration))
                : RewriteRule.apply(image, configuration);
    }

    private RewriteOutcome gated(RewriteOutcome outcome) {
        if (outcome instanceof Rewritten rewritten) {
            return gate.holdsBack(rewritten.rewrite())
                    .<RewriteOutcome>map(reason -> new HeldBack(rewritten.rewrite(), reason))
                    .orElse(outcome);
        }
        return outcome;
    }

    private static Optional<Rewrite> rewriteOf(RewriteOutcome outcome) {
        return outcome instanceof Rewritten rewritten ? Optional.of(rewritten.rewrite()) : Optional.empty();
    }

    private static RewriteOutcome guarded(String input, Supplier<RewriteOutcome> rewrite) {
        try {
            return rewrite.get();
        } catch (RuntimeException e) {
            LOG.errorf(e, "Rewriting \"%s\" failed; it stays as written", input);
            return new CannotMirror(input, CannotMirror.Problem.INTERNAL_ERROR, e.toString());
        }
    }

    private RewriteOutcome collect(RewriteOutcome outcome, String field, String asWritten, boolean replicate,
            ArtifactKind kind) {
        if (replicate) {
            outcome.replication().ifPresent(r -> replications.add(
                    new ReplicationRequest(r.replication(), r.mirror(), replicationSnapshot, owner, origin, kind)));
        }
        if (outcome instanceof CannotMirror cannot) {
            warnCannotMirror(field, asWritten, cannot);
        }
        if (outcome instanceof Rewritten rewritten) {
            rewrittenRegistries.add(rewritten.rewrite().mirror().sourceRegistry());
        }
        return outcome;
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

    AdmissionOutcome outcome(JsonPatch patch, Decisions decisions) {
        return new AdmissionOutcome(patch, List.copyOf(warnings), List.copyOf(replications),
                List.copyOf(rewrittenRegistries), decisions.all());
    }

    private static String quote(String text) {
        return ReadableInput.of(text, MAX_QUOTED_LENGTH);
    }
}

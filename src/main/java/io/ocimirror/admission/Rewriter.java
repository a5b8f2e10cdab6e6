package io.ocimirror.admission;

import io.ocimirror.config.MirrorConfiguration;
import io.ocimirror.reference.ImageReference;
import io.ocimirror.rewrite.RewriteGate;
import io.ocimirror.rewrite.RewriteOutcome;
import io.ocimirror.rewrite.RewriteOutcome.CannotMirror;
import io.ocimirror.rewrite.RewriteOutcome.HeldBack;
import io.ocimirror.rewrite.RewriteOutcome.Rewritten;
import io.ocimirror.rewrite.RewriteRule;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The one entry the handlers rewrite through: the rewrite rule (remembered per configuration snapshot for image
 * strings), then the gate, which may hold a rewrite back while its mirror cannot be trusted with it. Never throws:
 * even a bug in the rule costs one reference, which stays as written, not the object.
 */
@ApplicationScoped
public class Rewriter {

    private static final Logger LOG = Logger.getLogger(Rewriter.class);

    private final RewriteGate gate;
    private final ImageRewrites remembered = new ImageRewrites();

    public Rewriter(RewriteGate gate) {
        this.gate = gate;
    }

    /** The outcome for an image as written in an object (parsed, normalised, ruled, gated). */
    public RewriteOutcome rewrite(String image, MirrorConfiguration configuration) {
        return guarded(image, () -> gated(remembered.rewrite(image, configuration)));
    }

    /** The outcome for a reference built from an object's fields (a chart). */
    public RewriteOutcome rewrite(ImageReference reference, MirrorConfiguration configuration) {
        return guarded(reference.toString(), () -> gated(RewriteRule.apply(reference, configuration)));
    }

    /**
     * The reference an image as written is rewritten to by the rule alone, whatever its mirror's state: what a
     * previous invocation may have written. Empty when the rule leaves the image as it is.
     */
    public Optional<ImageReference> mirroredForm(String image, MirrorConfiguration configuration) {
        return pullOf(guarded(image, () -> remembered.rewrite(image, configuration)));
    }

    /** The same for a reference built from an object's fields (a chart), not remembered. */
    public Optional<ImageReference> mirroredForm(ImageReference reference, MirrorConfiguration configuration) {
        return pullOf(guarded(reference.toString(), () -> RewriteRule.apply(reference, configuration)));
    }

    private static Optional<ImageReference> pullOf(RewriteOutcome outcome) {
        return outcome instanceof Rewritten rewritten ? Optional.of(rewritten.rewrite().pull()) : Optional.empty();
    }

    private RewriteOutcome gated(RewriteOutcome outcome) {
        if (outcome instanceof Rewritten rewritten && !gate.allows(rewritten.rewrite())) {
            return new HeldBack(rewritten.rewrite());
        }
        return outcome;
    }

    private static RewriteOutcome guarded(String input, Supplier<RewriteOutcome> rewrite) {
        try {
            return rewrite.get();
        } catch (RuntimeException e) {
            LOG.errorf(e, "Rewriting \"%s\" failed; it stays as written", input);
            return new CannotMirror(input, CannotMirror.Problem.INTERNAL_ERROR, e.toString());
        }
    }
}

package io.ocimirror.rewrite;

import io.ocimirror.rewrite.RewriteOutcome.HeldBack;
import java.util.Optional;

/**
 * Decides, from what is known about a mirror at this moment, whether a rewrite may point a workload at it. A
 * reference that is not let through stays as written and is still replicated.
 */
public interface RewriteGate {

    /** Lets every rewrite through. */
    RewriteGate ALWAYS = rewrite -> Optional.empty();

    /**
     * @param rewrite what the rule would write
     * @return why the rewrite is held back, or empty when it may go through
     */
    Optional<HeldBack.Reason> holdsBack(Rewrite rewrite);
}

package io.ocimirror.rewrite;

/**
 * Decides, from what is known about a mirror at this moment, whether a rewrite may point a workload at it. A
 * reference that is not let through stays as written and is still replicated.
 */
public interface RewriteGate {

    /** Lets every rewrite through. */
    RewriteGate ALWAYS = rewrite -> true;

    boolean allows(Rewrite rewrite);
}

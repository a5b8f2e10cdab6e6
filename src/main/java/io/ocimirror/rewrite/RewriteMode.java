package io.ocimirror.rewrite;

/** Whether admission writes its rewrites into objects, or only decides, records, counts and warms. */
public enum RewriteMode {
    /** Rewrite references to their mirrors. */
    ENFORCE,
    /** Decide and record every decision, schedule replication, but leave every reference as written. */
    OBSERVE
}

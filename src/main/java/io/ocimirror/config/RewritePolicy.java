package io.ocimirror.config;

/** When references are pointed at a mirror. */
public enum RewritePolicy {
    /** Rewrite every reference and replicate it (the mirror fills on the first pull if replication is late). */
    ALWAYS,
    /**
     * Rewrite only references the mirror is known to hold (replicated successfully); leave others as written,
     * replicate them, and rewrite later pods once replication succeeded. For mirrors that cannot pull through on
     * demand, or where a failed first pull costs more than a pull from the source.
     */
    REPLICATED
}

/**
 * The rewrite rule: a pure function from a reference and a configuration snapshot to a typed
 * {@link io.ocimirror.rewrite.RewriteOutcome}, the {@link io.ocimirror.rewrite.RewriteGate} that may hold a rewrite
 * back, and the {@link io.ocimirror.rewrite.ReplicationRequest} that admission hands to replication through
 * {@link io.ocimirror.rewrite.ReplicationScheduler}. It may import {@code reference} and {@code config} only; no CDI,
 * Quarkus, fabric8 or Micrometer.
 */
package io.ocimirror.rewrite;

package io.ocimirror.admission;

import io.ocimirror.rewrite.RewriteOutcome;

/**
 * What admission decided for one reference of an object.
 *
 * @param key       where the reference is, as {@code oci-mirror.io/original-images} keys it: a container name,
 *                  {@code volume/<name>}, or {@code helmChart}
 * @param asWritten the reference as the user wrote it (for a reference rewritten earlier, the recorded original)
 * @param outcome   the decision
 */
public record ReferenceDecision(String key, String asWritten, RewriteOutcome outcome) {
}

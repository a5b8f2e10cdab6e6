package io.ocimirror.rewrite;

import io.ocimirror.config.Mirror;
import io.ocimirror.reference.ImageReference;

/**
 * Where one reference points on its mirror.
 *
 * @param original    the reference as found (normalised)
 * @param pull        what pods pull from: the reference on the mirror's base domain (equal to {@code original}
 *                    when the reference already pointed at the mirror)
 * @param replication what replication fetches to warm the mirror: the same path on the replication host
 * @param mirror      the mirror that serves it
 */
public record Rewrite(ImageReference original, ImageReference pull, ImageReference replication, Mirror mirror) {
}

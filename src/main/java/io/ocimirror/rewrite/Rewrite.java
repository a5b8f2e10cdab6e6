package io.ocimirror.rewrite;

import io.ocimirror.config.Mirror;
import io.ocimirror.reference.ImageReference;

/**
 * What the rewrite rule decided for one reference.
 *
 * @param original    the reference as found (normalised)
 * @param pull        what pods pull from: the reference on the mirror's base domain
 * @param replication what replication fetches to warm the mirror: the same path on the replication host
 * @param mirror      the mirror that serves it
 */
public record Rewrite(ImageReference original, ImageReference pull, ImageReference replication, Mirror mirror) {

    /** False when the reference already pointed at the mirror: nothing to patch, but still worth replicating. */
    public boolean changesReference() {
        return !original.equals(pull);
    }

    /** The same replication, but pods keep pulling the original (the mirror cannot be trusted with it yet). */
    public Rewrite keepingOriginal() {
        return new Rewrite(original, original, replication, mirror);
    }
}

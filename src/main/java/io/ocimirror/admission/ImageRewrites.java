package io.ocimirror.admission;

import io.ocimirror.config.MirrorConfiguration;
import io.ocimirror.rewrite.RewriteOutcome;
import io.ocimirror.rewrite.RewriteRule;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The rewrite rule applied to image strings, remembered per configuration snapshot. A rollout admits the same few
 * images over and over, and parsing and rewriting each again was a quarter of the CPU of admitting a Pod
 * ({@code bench/jmh.sh}). Both steps are pure functions of the string and the snapshot, so a result holds for as long
 * as that snapshot is used; snapshots are told apart by identity (each organisation has its own, and an edit makes a
 * new one). Overly long strings are not remembered.
 */
final class ImageRewrites {

    /** Far more distinct images than a cluster runs; beyond it everything is forgotten at once, which bounds memory. */
    static final int CAPACITY = 4096;

    /**
     * Above the longest real reference (a 255-character name, a 128-character tag and a sha512 digest make 520);
     * longer strings are rewritten but not remembered, so that {@link #CAPACITY} also bounds the bytes held.
     */
    static final int MAX_REMEMBERED_LENGTH = 600;

    /** An image under one snapshot, the snapshot compared by identity (its equality compares every mirror). */
    private record Key(MirrorConfiguration configuration, String image) {

        @Override
        public boolean equals(Object other) {
            return other instanceof Key that && configuration == that.configuration && image.equals(that.image);
        }

        @Override
        public int hashCode() {
            return 31 * System.identityHashCode(configuration) + image.hashCode();
        }
    }

    private final Map<Key, RewriteOutcome> remembered = new ConcurrentHashMap<>();

    /** {@link RewriteRule#apply(String, MirrorConfiguration)}: the rule's outcome for the image as written. */
    RewriteOutcome rewrite(String image, MirrorConfiguration configuration) {
        Key key = new Key(configuration, image);
        RewriteOutcome rewrite = remembered.get(key);
        if (rewrite != null) {
            return rewrite;
        }
        rewrite = RewriteRule.apply(image, configuration);
        if (image.length() <= MAX_REMEMBERED_LENGTH) {
            if (remembered.size() >= CAPACITY) {
                remembered.clear();
            }
            remembered.put(key, rewrite);
        }
        return rewrite;
    }

    /** How many images are remembered now, under every snapshot. */
    int size() {
        return remembered.size();
    }
}

package io.ocimirror.admission;

import io.ocimirror.config.MirrorConfiguration;
import io.ocimirror.rewrite.RewriteOutcome;
import io.ocimirror.rewrite.RewriteRule;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The rewrite rule applied to image strings, remembered for the configuration in force. A rollout admits the same
 * few images over and over, and parsing and rewriting each again was a quarter of the CPU of admitting a Pod
 * ({@code bench/jmh.sh}). Both steps are pure functions of the string and the configuration snapshot, so a result
 * holds until the configuration changes. Overly long strings are not remembered.
 */
final class ImageRewrites {

    /** Far more distinct images than a cluster runs; beyond it everything is forgotten at once, which bounds memory. */
    static final int CAPACITY = 4096;

    /**
     * Above the longest real reference (a 255-character name, a 128-character tag and a sha512 digest make 520);
     * longer strings are rewritten but not remembered, so that {@link #CAPACITY} also bounds the bytes held.
     */
    static final int MAX_REMEMBERED_LENGTH = 600;

    private record Remembered(MirrorConfiguration configuration, Map<String, RewriteOutcome> rewrites) {
    }

    private volatile Remembered remembered = new Remembered(null, Map.of());

    /** {@link RewriteRule#apply(String, MirrorConfiguration)}: the rule's outcome for the image as written. */
    RewriteOutcome rewrite(String image, MirrorConfiguration configuration) {
        Remembered current = remembered;
        if (current.configuration() != configuration) {
            current = new Remembered(configuration, new ConcurrentHashMap<>());
            remembered = current;
        }
        RewriteOutcome rewrite = current.rewrites().get(image);
        if (rewrite != null) {
            return rewrite;
        }
        rewrite = RewriteRule.apply(image, configuration);
        if (image.length() <= MAX_REMEMBERED_LENGTH) {
            if (current.rewrites().size() >= CAPACITY) {
                current.rewrites().clear();
            }
            current.rewrites().put(image, rewrite);
        }
        return rewrite;
    }

    /** How many images are remembered now. */
    int size() {
        return remembered.rewrites().size();
    }
}

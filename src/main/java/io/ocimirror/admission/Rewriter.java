package io.ocimirror.admission;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.ocimirror.config.ConfigurationOwner;
import io.ocimirror.config.MirrorConfiguration;
import io.ocimirror.reference.ImageReference;
import io.ocimirror.rewrite.ReplicationRequest.ObjectOrigin;
import io.ocimirror.rewrite.RewriteGate;
import io.ocimirror.rewrite.RewriteOutcome;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * What every admission rewrites with: the gate, which may hold a rewrite back while its mirror cannot be trusted with
 * it, and the rule's outcomes for image strings remembered per configuration snapshot. A rollout admits the same few
 * images over and over, and parsing and rewriting each again was a quarter of the CPU of admitting a Pod
 * ({@code bench/jmh.sh}). Both steps are pure functions of the string and the snapshot, so a result holds for as long
 * as that snapshot is used; snapshots are told apart by identity (each organisation has its own, and an edit makes a
 * new one). Each request rewrites through a {@link RewriteCollector} of its own.
 */
@ApplicationScoped
public class Rewriter {

    /** Far more distinct images than a cluster runs; the least used are forgotten first beyond it. */
    static final int CAPACITY = 4096;

    /**
     * Above the longest real reference (a 255-character name, a 128-character tag and a sha512 digest make 520);
     * longer strings are rewritten but not remembered, so that {@link #CAPACITY} also bounds the bytes held.
     */
    static final int MAX_REMEMBERED_LENGTH = 600;

    /** An image under one snapshot, the snapshot compared by identity (its equality compares every mirror). */
    record Key(MirrorConfiguration configuration, String image) {

        @Override
        public boolean equals(Object other) {
            return other instanceof Key that && configuration == that.configuration && image.equals(that.image);
        }

        @Override
        public int hashCode() {
            return 31 * System.identityHashCode(configuration) + image.hashCode();
        }
    }

    private final RewriteGate gate;
    private final Cache<Key, RewriteOutcome> remembered;

    public Rewriter(RewriteGate gate) {
        this.gate = gate;
        // Evictions run on the caller's thread: no pool thread per admission, and sizes read in tests are exact.
        this.remembered = Caffeine.newBuilder().maximumSize(CAPACITY).executor(Runnable::run).build();
    }

    /**
     * The rewrites of one object.
     *
     * @param configuration       the snapshot the object is rewritten with
     * @param replicationSnapshot the snapshot replication jobs run under: {@code configuration}, or it with the
     *                            platforms of the object's nodes
     * @param owner               whose configuration it is, for replication's credentials
     * @param origin              the object replication outcomes are reported on, when it has one
     */
    RewriteCollector collector(MirrorConfiguration configuration, MirrorConfiguration replicationSnapshot,
            ConfigurationOwner owner, Optional<ObjectOrigin> origin) {
        return new RewriteCollector(remembered, gate, configuration, replicationSnapshot, owner, origin);
    }

    /**
     * The reference an image as written is rewritten to by the rule alone, whatever its mirror's state: what an
     * earlier admission may have written.
     *
     * @return empty when the rule leaves the image as it is, or it cannot be read
     */
    public Optional<ImageReference> mirroredForm(String image, MirrorConfiguration configuration) {
        return collector(configuration, configuration, ConfigurationOwner.WEBHOOK, Optional.empty()).mirroredForm(image);
    }

    /** How many image outcomes are remembered now, under every snapshot. */
    long rememberedSize() {
        remembered.cleanUp();
        return remembered.estimatedSize();
    }
}

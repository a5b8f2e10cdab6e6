package io.ocimirror.replication;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Blobs this webhook fetched through a mirror host not long ago, per repository, so that a walk of another reference
 * (another tag of the same repository, a new image on the same base layers) does not fetch them again. Keyed by
 * repository because a proxy-mode Docker Distribution links blobs per repository: a blob it holds for one repository
 * is fetched from upstream again when asked for in another. A blob is claimed when its fetch starts, so two walks at
 * once fetch it once; a failed fetch gives the claim back.
 */
final class WarmedBlobs {

    private static final WarmedBlobs NONE = new WarmedBlobs(Optional.empty());

    /** Empty for {@link #none()}. */
    private final Optional<Cache<String, Boolean>> blobs;

    /**
     * @param window   how long a fetched blob counts as warm
     * @param capacity blobs remembered at most; the least recently used are forgotten first
     * @param nanos    the clock of the window
     */
    WarmedBlobs(Duration window, long capacity, LongSupplier nanos) {
        this(Optional.of(Caffeine.newBuilder().expireAfterWrite(window).maximumSize(capacity)
                .ticker(nanos::getAsLong).build()));
    }

    private WarmedBlobs(Optional<Cache<String, Boolean>> blobs) {
        this.blobs = blobs;
    }

    /** Remembers nothing: every blob is fetched. */
    static WarmedBlobs none() {
        return NONE;
    }

    /** @return whether the caller should fetch the blob (nobody fetched it within the window); if so, it is claimed */
    boolean claim(String host, String repository, String digest) {
        return blobs.map(cache -> cache.asMap().putIfAbsent(key(host, repository, digest), Boolean.TRUE) == null)
                .orElse(true);
    }

    /** The fetch of a claimed blob failed: the next walk fetches it. */
    void release(String host, String repository, String digest) {
        blobs.ifPresent(cache -> cache.invalidate(key(host, repository, digest)));
    }

    private static String key(String host, String repository, String digest) {
        return host + "/" + repository + "@" + digest;
    }
}

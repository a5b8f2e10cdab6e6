package io.ocimirror.replication;

import io.ocimirror.config.MirrorConfiguration.Replication;
import io.ocimirror.config.ReplicationMode;
import io.ocimirror.reference.ImageReference;
import io.ocimirror.replication.RegistryAccessException.Failure;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Fetches through a mirror everything a pull of one reference needs, so that every kind of pull-through cache holds
 * it: the manifest; for an index, the children of the configured platforms; for each image manifest, its config and
 * layer blobs. Docker Distribution in proxy mode caches only what is fetched (an index GET does not cache its
 * children, a manifest GET not its blobs), Harbor keeps only fetched index children; only the full walk warms both.
 *
 * <p>A {@code tag@digest} reference is asked for by its tag first, because on-demand mirrors (zot) sync only on a
 * pull by tag; the pinned digest decides what is walked. Layers a registry never holds (foreign, non-distributable,
 * with {@code urls}) are not asked for. A failed blob does not stop the others: the walk fetches the rest and then
 * reports the first failure, unless the mirror itself became unreachable.
 */
public final class RegistryWalk {

    private static final Logger LOG = Logger.getLogger(RegistryWalk.class);
    /** An index of indexes is legal; deeper nesting is not seen in practice and would only cost requests. */
    private static final int MAX_INDEX_DEPTH = 2;

    private final RegistryAccess registry;
    private final Replication settings;
    private final Set<String> fetchedBlobs = new HashSet<>();
    private RegistryAccessException firstBlobFailure;
    private long bytes;
    private int manifests;
    private int skippedBlobs;

    private RegistryWalk(RegistryAccess registry, Replication settings) {
        this.registry = registry;
        this.settings = settings;
    }

    /**
     * The totals of one walk.
     *
     * @param manifest     the digest of the top manifest walked
     * @param skippedBlobs layers left to the runtime (foreign, non-distributable, with {@code urls})
     */
    public record Result(String manifest, int manifests, int blobs, long bytes, int skippedBlobs) {
    }

    /**
     * @param reference a reference on the mirror's replication host
     * @return what was fetched
     * @throws RegistryAccessException the first failure; a blob failure only after the other blobs were fetched
     */
    public static Result walk(RegistryAccess registry, ImageReference reference, Replication settings)
            throws RegistryAccessException {
        RegistryWalk walk = new RegistryWalk(registry, settings);
        String top = walk.visitTop(reference);
        if (walk.firstBlobFailure != null) {
            throw walk.firstBlobFailure;
        }
        return new Result(top, walk.manifests, walk.fetchedBlobs.size(), walk.bytes, walk.skippedBlobs);
    }

    private String visitTop(ImageReference reference) throws RegistryAccessException {
        String repository = reference.repository();
        Optional<String> pinned = reference.digest();
        if (pinned.isPresent() && reference.tag().isPresent()) {
            Manifest byTag = fetch(repository, reference.tag().get(), false);
            if (byTag.digest().equals(pinned.get())) {
                walkContent(repository, byTag, 0);
                return byTag.digest();
            }
            LOG.warnf("Tag %s of %s now names %s, not the pinned %s; warming the pinned digest", reference.tag().get(),
                    reference.name(), byTag.digest(), pinned.get());
        }
        Manifest manifest = fetch(repository, reference.manifestReference(), pinned.isPresent());
        walkContent(repository, manifest, 0);
        return manifest.digest();
    }

    /** BuildKit lists provenance and SBOM attestations as {@code unknown/unknown} children; no runtime pulls them. */
    private static boolean isAttestation(Manifest.Child child) {
        return child.os().equals("unknown") && child.architecture().equals("unknown");
    }

    private Manifest fetch(String repository, String reference, boolean byDigest) throws RegistryAccessException {
        Manifest manifest = registry.manifest(repository, reference);
        manifests++;
        if (byDigest && !manifest.digest().equals(reference)) {
            throw new RegistryAccessException(Failure.INVALID_CONTENT,
                    "manifest " + reference + " of " + repository + " has digest " + manifest.digest());
        }
        return manifest;
    }

    private void walkContent(String repository, Manifest manifest, int depth) throws RegistryAccessException {
        if (manifest.isIndex()) {
            if (depth >= MAX_INDEX_DEPTH) {
                return;
            }
            for (Manifest.Child child : manifest.children()) {
                if (!isAttestation(child) && settings.wantsPlatform(child.os(), child.architecture(), child.variant())) {
                    walkContent(repository, fetch(repository, child.digest(), true), depth + 1);
                }
            }
        } else if (settings.mode() == ReplicationMode.FULL) {
            for (Manifest.Blob blob : manifest.blobs()) {
                if (!blob.fetchedFromRegistry()) {
                    skippedBlobs++;
                } else if (fetchedBlobs.add(blob.digest())) {
                    fetchBlob(repository, blob.digest());
                }
            }
        }
    }

    private void fetchBlob(String repository, String digest) throws RegistryAccessException {
        try {
            bytes += registry.blob(repository, digest);
        } catch (RegistryAccessException e) {
            if (e.failure() == Failure.UNREACHABLE) {
                throw e;
            }
            if (firstBlobFailure == null) {
                firstBlobFailure = e;
            }
        }
    }
}

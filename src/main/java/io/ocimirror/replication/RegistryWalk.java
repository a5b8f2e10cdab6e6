package io.ocimirror.replication;

import io.ocimirror.config.MirrorConfiguration.Replication;
import io.ocimirror.config.ReplicationMode;
import io.ocimirror.reference.ImageReference;
import io.ocimirror.replication.RegistryAccessException.Failure;
import java.util.HashSet;
import java.util.Set;

/**
 * Fetches through a mirror everything a pull of one reference needs, so that every kind of pull-through cache holds
 * it: the manifest; for an index, the children of the configured platforms; for each image manifest, its config and
 * layer blobs. Docker Distribution in proxy mode caches only what is fetched (an index GET does not cache its
 * children, a manifest GET not its blobs), Harbor keeps only fetched index children; only the full walk warms both.
 */
public final class RegistryWalk {

    /** An index of indexes is legal; deeper nesting is not seen in practice and would only cost requests. */
    private static final int MAX_INDEX_DEPTH = 2;

    private final RegistryAccess registry;
    private final Replication settings;
    private final Set<String> fetchedBlobs = new HashSet<>();
    private long bytes;
    private int manifests;

    private RegistryWalk(RegistryAccess registry, Replication settings) {
        this.registry = registry;
        this.settings = settings;
    }

    /** The totals of one walk. */
    public record Result(int manifests, int blobs, long bytes) {
    }

    public static Result walk(RegistryAccess registry, ImageReference reference, Replication settings)
            throws RegistryAccessException {
        RegistryWalk walk = new RegistryWalk(registry, settings);
        walk.visit(reference.repository(), reference.manifestReference(), reference.digest().isPresent(), 0);
        return new Result(walk.manifests, walk.fetchedBlobs.size(), walk.bytes);
    }

    /** BuildKit lists provenance and SBOM attestations as {@code unknown/unknown} children; no runtime pulls them. */
    private static boolean isAttestation(Manifest.Child child) {
        return child.os().equals("unknown") && child.architecture().equals("unknown");
    }

    private void visit(String repository, String reference, boolean byDigest, int depth)
            throws RegistryAccessException {
        Manifest manifest = registry.manifest(repository, reference);
        manifests++;
        if (byDigest && !manifest.digest().equals(reference)) {
            throw new RegistryAccessException(Failure.INVALID_CONTENT,
                    "manifest " + reference + " of " + repository + " has digest " + manifest.digest());
        }
        if (manifest.isIndex()) {
            if (depth >= MAX_INDEX_DEPTH) {
                return;
            }
            for (Manifest.Child child : manifest.children()) {
                if (!isAttestation(child) && settings.wantsPlatform(child.os(), child.architecture(), child.variant())) {
                    visit(repository, child.digest(), true, depth + 1);
                }
            }
        } else if (settings.mode() == ReplicationMode.FULL) {
            for (String blob : manifest.blobs()) {
                if (fetchedBlobs.add(blob)) {
                    bytes += registry.blob(repository, blob);
                }
            }
        }
    }
}

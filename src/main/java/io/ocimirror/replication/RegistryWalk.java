package io.ocimirror.replication;

import io.ocimirror.config.MirrorConfiguration.ReplicationScope;
import io.ocimirror.config.ReplicationMode;
import io.ocimirror.reference.ImageReference;
import io.ocimirror.registry.Manifest;
import io.ocimirror.registry.RegistryAccess;
import io.ocimirror.registry.RegistryAccessException.Failure;
import io.ocimirror.registry.RegistryAccessException;
import io.ocimirror.text.ReadableInput;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
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
 *
 * <p>The children of an index and the blobs are fetched concurrently within the bounds of {@link Fetches} (per walk
 * and per mirror host); manifests and blobs are each fetched once per walk, and a blob this webhook fetched through
 * the same mirror host for the same repository not long ago ({@link WarmedBlobs}) is not fetched again. The walk
 * returns only once every call it started has ended.
 */
public final class RegistryWalk {

    private static final Logger LOG = Logger.getLogger(RegistryWalk.class);
    /** An index of indexes is legal; deeper nesting is not seen in practice and would only cost requests. */
    private static final int MAX_INDEX_DEPTH = 2;

    private final RegistryAccess registry;
    private final ReplicationScope settings;
    private final Fetches.Scope calls;
    private final Set<String> fetchedBlobs = new HashSet<>();
    private final List<Future<Void>> blobCalls = new ArrayList<>();
    private final AtomicReference<RegistryAccessException> firstBlobFailure = new AtomicReference<>();
    private final AtomicReference<RegistryAccessException> unreachable = new AtomicReference<>();
    private final AtomicLong bytes = new AtomicLong();
    private int manifests;
    private int skippedBlobs;
    private int warmedBefore;
    private long bytesWarmedBefore;

    private RegistryWalk(RegistryAccess registry, ReplicationScope settings, Fetches.Scope calls) {
        this.registry = registry;
        this.settings = settings;
        this.calls = calls;
    }

    /**
     * The totals of one walk.
     *
     * @param manifest     the digest of the top manifest walked
     * @param blobs        blobs fetched (or tried) by this walk
     * @param bytes        blob bytes fetched
     * @param skippedBlobs layers left to the runtime (foreign, non-distributable, with {@code urls})
     * @param warmedBefore blobs not fetched because this webhook fetched them recently ({@link WarmedBlobs})
     * @param bytesWarmedBefore their sizes as their descriptors state them, in bytes
     */
    public record Result(String manifest, int manifests, int blobs, long bytes, int skippedBlobs, int warmedBefore,
            long bytesWarmedBefore) {
    }

    /**
     * Walks one call at a time, remembering nothing between walks.
     *
     * @param reference a reference on the mirror's replication host
     * @return what was fetched
     * @throws RegistryAccessException the first failure; a blob failure only after the other blobs were fetched
     */
    public static Result walk(RegistryAccess registry, ImageReference reference, ReplicationScope settings)
            throws RegistryAccessException {
        return walk(registry, reference, settings, Fetches.sequential().scope(reference.registry()));
    }

    /**
     * Walks with the calls' concurrency and the warmed blobs of the given scope.
     *
     * @param reference a reference on the mirror's replication host
     * @param calls     the calls of this walk, through the mirror host {@code registry} talks to
     * @return what was fetched
     * @throws RegistryAccessException the first failure, once every started call has ended; a blob failure only
     *                                 after the other blobs were fetched
     */
    static Result walk(RegistryAccess registry, ImageReference reference, ReplicationScope settings, Fetches.Scope calls)
            throws RegistryAccessException {
        return run(new RegistryWalk(registry, settings, calls), walk -> walk.visitTop(reference));
    }

    /**
     * Walks what a manifest already fetched references (one a lookup found: a signature's tag), as {@link #walk}
     * walks the manifest of a reference.
     *
     * @param repository the repository on the mirror's replication host the manifest was fetched from
     * @param manifest   the manifest, counted in {@link Result#manifests()}
     * @return what was fetched
     * @throws RegistryAccessException as {@link #walk}
     */
    static Result walkFetched(RegistryAccess registry, String repository, Manifest manifest, ReplicationScope settings,
            Fetches.Scope calls) throws RegistryAccessException {
        return run(new RegistryWalk(registry, settings, calls), walk -> {
            walk.manifests++;
            walk.walkContent(repository, manifest, 0);
            return manifest.digest();
        });
    }

    /** Where a walk starts: fetches (or takes) the top manifest, walks it and answers its digest. */
    private interface Top {
        String visit(RegistryWalk walk) throws RegistryAccessException;
    }

    private static Result run(RegistryWalk walk, Top start) throws RegistryAccessException {
        String top;
        try {
            top = start.visit(walk);
        } finally {
            walk.calls.awaitAll();
        }
        for (Future<Void> blobCall : walk.blobCalls) {
            // Throws only what a blob fetch did not expect (a blob's registry failure is recorded, not thrown).
            Fetches.result(blobCall);
        }
        RegistryAccessException failure = walk.unreachable.get() != null ? walk.unreachable.get()
                : walk.firstBlobFailure.get();
        if (failure != null) {
            throw failure;
        }
        return new Result(top, walk.manifests, walk.fetchedBlobs.size() - walk.warmedBefore, walk.bytes.get(),
                walk.skippedBlobs, walk.warmedBefore, walk.bytesWarmedBefore);
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
            // A tag's manifest is named by its sha256 digest: a pin of another algorithm cannot be compared with it.
            if (pinned.get().startsWith("sha256:")) {
                LOG.warnf("Tag %s of %s now names %s, not the pinned %s; warming the pinned digest",
                        reference.tag().get(), reference.name(), byTag.digest(), pinned.get());
            }
        }
        Manifest manifest = fetch(repository, reference.manifestReference(), pinned.isPresent());
        walkContent(repository, manifest, 0);
        return manifest.digest();
    }

    /** A string from a manifest as it appears in a message: bounded, control characters replaced. */
    static String printable(String value) {
        return ReadableInput.of(value, 200);
    }

    /** BuildKit lists provenance and SBOM attestations as {@code unknown/unknown} children; no runtime pulls them. */
    private static boolean isAttestation(Manifest.Child child) {
        return child.os().equals("unknown") && child.architecture().equals("unknown");
    }

    private Manifest fetch(String repository, String reference, boolean byDigest) throws RegistryAccessException {
        return Fetches.result(startFetch(repository, reference, byDigest));
    }

    private Future<Manifest> startFetch(String repository, String reference, boolean byDigest)
            throws RegistryAccessException {
        manifests++;
        return calls.start(() -> {
            Manifest manifest = registry.manifest(repository, reference);
            if (byDigest && !manifest.digest().equals(reference)) {
                throw new RegistryAccessException(Failure.INVALID_CONTENT,
                        "manifest " + reference + " of " + repository + " has digest " + manifest.digest());
            }
            return manifest;
        });
    }

    private void walkContent(String repository, Manifest manifest, int depth) throws RegistryAccessException {
        if (manifest.isIndex()) {
            if (depth >= MAX_INDEX_DEPTH) {
                return;
            }
            List<Future<Manifest>> children = new ArrayList<>();
            for (Manifest.Child child : manifest.children()) {
                // As containerd does, entries of other platforms are passed over unread, whatever they hold.
                if (isAttestation(child) || !settings.wantsPlatform(child.os(), child.architecture(), child.variant())) {
                    continue;
                }
                // The digest becomes part of a URL: one that is no digest ("../", a tag) is refused, not fetched.
                if (ImageReference.checkDigest(child.digest()).isPresent()) {
                    throw new RegistryAccessException(Failure.UNSUPPORTED, "index " + manifest.digest() + " of "
                            + repository + " lists a child manifest \"" + printable(child.digest())
                            + "\", which is not a digest");
                }
                children.add(startFetch(repository, child.digest(), true));
            }
            for (Future<Manifest> child : children) {
                walkContent(repository, Fetches.result(child), depth + 1);
            }
        } else if (settings.mode() == ReplicationMode.FULL) {
            for (Manifest.Blob blob : manifest.blobs()) {
                if (unreachable.get() != null) {
                    return;
                }
                if (!blob.fetchedFromRegistry()) {
                    skippedBlobs++;
                } else if (fetchedBlobs.add(blob.digest())) {
                    startBlob(repository, blob);
                }
            }
        }
    }

    private void startBlob(String repository, Manifest.Blob blob) throws RegistryAccessException {
        WarmedBlobs warmed = calls.warmed();
        String digest = blob.digest();
        if (!warmed.claim(calls.host(), repository, digest)) {
            warmedBefore++;
            bytesWarmedBefore += Math.max(0, blob.size());
            return;
        }
        try {
            blobCalls.add(calls.start(() -> {
                fetchBlob(repository, digest, blob.size());
                return null;
            }));
        } catch (RegistryAccessException notStarted) {
            warmed.release(calls.host(), repository, digest);
            throw notStarted;
        }
    }

    /** Runs on a fetch thread: records the outcome instead of throwing, so one blob's failure stops no other. */
    private void fetchBlob(String repository, String digest, long size) {
        try {
            bytes.addAndGet(registry.blob(repository, digest, size));
        } catch (RegistryAccessException e) {
            calls.warmed().release(calls.host(), repository, digest);
            (e.failure() == Failure.UNREACHABLE ? unreachable : firstBlobFailure).compareAndSet(null, e);
        } catch (RuntimeException e) {
            calls.warmed().release(calls.host(), repository, digest);
            throw e;
        }
    }
}

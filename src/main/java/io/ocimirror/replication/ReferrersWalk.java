package io.ocimirror.replication;

import io.ocimirror.config.MirrorConfiguration.ReplicationScope;
import io.ocimirror.reference.ImageReference;
import io.ocimirror.registry.Manifest;
import io.ocimirror.registry.ManifestReader;
import io.ocimirror.registry.RegistryAccess;
import io.ocimirror.registry.RegistryAccessException.Failure;
import io.ocimirror.registry.RegistryAccessException;
import io.ocimirror.text.ReadableBytes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Warms through a mirror what signature verification (Kyverno, sigstore policy-controller, Connaisseur) looks up for
 * an image just warmed, so that it finds it at the mirrored reference:
 * <ul>
 * <li>the image's referrers: the answer of the referrers API (OCI distribution spec v1.1, "Listing Referrers") or,
 * where the registry answers that 404, the index under the referrers tag schema's tag ({@link ReferrerTags#fallback});
 * then each artifact manifest listed there, walked as an image is (manifest, then its blobs), at most
 * {@link #MAX_REFERRERS} of them;
 * <li>cosign's tags {@code sha256-<hex>.sig}, {@code .att} and {@code .sbom} ({@link ReferrerTags#cosign}), each
 * walked when present.
 * </ul>
 * A 404 for any of these lookups means there is nothing of that kind: no failure, no retry, no warning. Any other
 * failure becomes a {@link Problem} and ends that lookup only; a failure of the mirror itself ({@link
 * Failure#mirrorFailure()}) ends the lookups still to come. No registry failure is thrown: the image's warm stands
 * whatever its referrers do. An artifact is walked once per image, however many lookups name it.
 */
final class ReferrersWalk {

    /** Listed referrers walked per image at most: an image signed and attested on every build can list hundreds. */
    static final int MAX_REFERRERS = 16;

    /** Where the image's referrers were listed. */
    enum Listing {
        /** The referrers API answered. */
        REFERRERS_API("the referrers API"),
        /** The registry has no referrers API; the referrers tag schema's tag held the index. */
        FALLBACK_TAG("the referrers tag"),
        /** Neither the API nor the referrers tag: nothing refers to the image. */
        NONE("none listed"),
        /** Looking them up failed: see the problems. */
        FAILED("listing failed");

        private final String text;

        Listing(String text) {
            this.text = text;
        }
    }

    /**
     * A lookup or a walk that failed other than with a 404.
     *
     * @param lookup  what was looked up: {@code referrers}, {@code tag <tag>} or {@code referrer <digest>}
     * @param failure why, as replication classifies registry failures
     * @param message the failure's message
     */
    record Problem(String lookup, Failure failure, String message) {
    }

    /**
     * What warming one image's referrers did.
     *
     * @param listing   where its referrers were listed
     * @param artifacts artifact manifests walked to the end (listed ones and those under cosign's tags)
     * @param manifests manifests fetched, the index under the referrers tag and each tag found included
     * @param blobs     blobs fetched
     * @param bytes     blob bytes fetched
     * @param leftOut   referrers listed beyond {@link #MAX_REFERRERS}, not walked
     * @param problems  the lookups and walks that failed other than with a 404, in the order they were tried
     */
    record Result(Listing listing, int artifacts, int manifests, int blobs, long bytes, int leftOut,
            List<Problem> problems) {

        /** One clause for the log line of a warmed reference. */
        String summary() {
            return "referrers (" + listing.text + "): " + artifacts + " artifacts, " + ReadableBytes.format(bytes)
                    + " in " + manifests + " manifests and " + blobs + " blobs"
                    + (leftOut == 0 ? "" : ", " + leftOut + " more listed beyond the first " + MAX_REFERRERS
                            + " left out");
        }
    }

    private final RegistryAccess registry;
    private final ImageReference image;
    private final ReplicationScope settings;
    private final Fetches.Scope calls;
    /** The image itself and every artifact walked or being walked, so none is walked twice. */
    private final Set<String> seen = new HashSet<>();
    private final List<Problem> problems = new ArrayList<>();
    private int artifacts;
    private int manifests;
    private int blobs;
    private long bytes;
    private int leftOut;
    private int listedWalked;
    private boolean mirrorFailed;

    private ReferrersWalk(RegistryAccess registry, ImageReference image, ReplicationScope settings,
            Fetches.Scope calls) {
        this.registry = registry;
        this.image = image;
        this.settings = settings;
        this.calls = calls;
    }

    /**
     * Warms the referrers and cosign tags of an image.
     *
     * @param image   the reference that was warmed, on the mirror's replication host
     * @param subject the digest of the top manifest that walk fetched (an index's, for a multi-platform image): what
     *                signatures name
     * @param calls   the calls of the image's walk, through the same mirror host
     * @return what was fetched and what failed
     */
    static Result walk(RegistryAccess registry, ImageReference image, String subject, ReplicationScope settings,
            Fetches.Scope calls) {
        ReferrersWalk walk = new ReferrersWalk(registry, image, settings, calls);
        walk.seen.add(subject);
        Listing listing = walk.walkListed(subject);
        for (String tag : ReferrerTags.cosign(subject)) {
            walk.walkTag(tag);
        }
        return new Result(listing, walk.artifacts, walk.manifests, walk.blobs, walk.bytes, walk.leftOut,
                List.copyOf(walk.problems));
    }

    private Listing walkListed(String subject) {
        Optional<Manifest> api = lookup("referrers", () -> registry.referrers(image.repository(), subject));
        if (!problems.isEmpty()) {
            return Listing.FAILED;
        }
        if (api.isPresent()) {
            walkReferrers(api.get());
            return Listing.REFERRERS_API;
        }
        String tag = ReferrerTags.fallback(subject);
        Optional<Manifest> tagged = lookup("tag " + tag, () -> registry.manifestIfPresent(image.repository(), tag));
        if (tagged.isEmpty()) {
            return problems.isEmpty() ? Listing.NONE : Listing.FAILED;
        }
        if (tagged.get().digest().equals(subject)) {
            // The registry resolved the tag sha256-<hex> to the manifest sha256:<hex>, the subject itself (GitLab
            // does, and so does a mirror of it): that is no listing of referrers, as if the tag were not there.
            return Listing.NONE;
        }
        manifests++;
        if (!tagged.get().mediaType().equals(ManifestReader.OCI_INDEX)) {
            // A data condition of the registry: the tag of the referrers tag schema holds something else.
            problems.add(new Problem("tag " + tag, Failure.UNSUPPORTED, "tag " + tag + " of " + image.name()
                    + " holds a manifest of type " + tagged.get().mediaType()
                    + ", not an OCI image index of referrers"));
            return Listing.FAILED;
        }
        walkReferrers(tagged.get());
        return Listing.FALLBACK_TAG;
    }

    private void walkReferrers(Manifest index) {
        for (Manifest.Child referrer : index.children()) {
            String digest = referrer.digest();
            if (mirrorFailed || seen.contains(digest)) {
                continue;
            }
            if (listedWalked >= MAX_REFERRERS) {
                leftOut++;
                continue;
            }
            listedWalked++;
            seen.add(digest);
            // The digest becomes part of a URL: one that is no digest ("../", a tag) is refused, not fetched.
            if (ImageReference.checkDigest(digest).isPresent()) {
                String shown = RegistryWalk.printable(digest);
                problems.add(new Problem("referrer " + shown, Failure.UNSUPPORTED, "the referrers of " + image.name()
                        + " list a manifest \"" + shown + "\", which is not a digest"));
                continue;
            }
            // A listing may name an artifact deleted since (the referrers tag is kept up to date by clients): a 404
            // leaves nothing to warm.
            lookup("referrer " + digest, () -> registry.manifestIfPresent(image.repository(), digest))
                    .ifPresent(artifact -> walkArtifact("referrer " + digest, artifact));
        }
    }

    private void walkTag(String tag) {
        if (mirrorFailed) {
            return;
        }
        String lookup = "tag " + tag;
        Optional<Manifest> tagged = lookup(lookup, () -> registry.manifestIfPresent(image.repository(), tag));
        if (tagged.isEmpty()) {
            return;
        }
        if (!seen.add(tagged.get().digest())) {
            // Listed as a referrer too, and walked already; the tag itself is now cached.
            manifests++;
            return;
        }
        walkArtifact(lookup, tagged.get());
    }

    /** Walks the blobs (and, for an index, the children) of an artifact manifest already fetched. */
    private void walkArtifact(String lookup, Manifest artifact) {
        lookup(lookup, () -> Optional.of(RegistryWalk.walkFetched(registry, image.repository(), artifact, settings,
                calls))).ifPresent(this::add);
    }

    private void add(RegistryWalk.Result walked) {
        artifacts++;
        manifests += walked.manifests();
        blobs += walked.blobs();
        bytes += walked.bytes();
    }

    /** A registry call of these lookups. */
    private interface Lookup<T> {
        Optional<T> run() throws RegistryAccessException;
    }

    /** Runs a lookup; its failure is recorded, and one of the mirror itself ends the lookups still to come. */
    private <T> Optional<T> lookup(String what, Lookup<T> call) {
        try {
            return call.run();
        } catch (RegistryAccessException e) {
            problems.add(new Problem(what, e.failure(), e.getMessage()));
            mirrorFailed |= e.failure().mirrorFailure();
            return Optional.empty();
        }
    }
}

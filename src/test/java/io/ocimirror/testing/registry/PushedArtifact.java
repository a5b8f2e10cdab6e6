package io.ocimirror.testing.registry;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * What {@link TestContent} pushed under one tag: the top manifest (an image manifest, or an OCI index / Docker
 * manifest list) and each image manifest with its blobs. For a single image, {@link #images()} holds one entry whose
 * manifest is the top manifest.
 *
 * @param repository e.g. {@code team/multi-oci}
 * @param tag e.g. {@code 2.0}
 * @param manifest the top manifest: what a GET by tag answers
 * @param images the image manifests: the children of an index, in index order, or the one image
 */
public record PushedArtifact(String repository, String tag, Descriptor manifest, List<ImageManifest> images) {

    public PushedArtifact {
        images = List.copyOf(images);
    }

    /** {@code repository:tag}, the path of an image reference without its registry. */
    public String reference() {
        return repository + ":" + tag;
    }

    /** {@code host/repository:tag} on the given registry host (e.g. {@link DistributionRegistry#hostPort()}). */
    public String reference(String registryHost) {
        return registryHost + "/" + reference();
    }

    /** {@code host/repository@digest} on the given registry host. */
    public String digestReference(String registryHost) {
        return registryHost + "/" + repository + "@" + manifest.digest();
    }

    public boolean isIndex() {
        return MediaTypes.isIndex(manifest.mediaType());
    }

    /** The image manifest for {@code platform} ({@code os/architecture}). */
    public ImageManifest image(String platform) {
        return images.stream().filter(image -> image.isFor(platform)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(reference() + " has no image for " + platform));
    }

    /**
     * The image manifests a walk for {@code platforms} must fetch: for an index the children of those platforms, for
     * anything else its one image whatever its platform.
     */
    public List<ImageManifest> imagesFor(Collection<String> platforms) {
        if (!isIndex()) {
            return images;
        }
        return images.stream().filter(image -> platforms.stream().anyMatch(image::isFor)).toList();
    }

    /** The image manifests a walk for {@code platforms} must leave alone: the other children of an index. */
    public List<ImageManifest> imagesNotFor(Collection<String> platforms) {
        List<ImageManifest> wanted = imagesFor(platforms);
        return images.stream().filter(image -> !wanted.contains(image)).toList();
    }

    /** The manifest digests a walk for {@code platforms} fetches: the top manifest, then the wanted children. */
    public List<String> manifestDigestsFor(Collection<String> platforms) {
        LinkedHashSet<String> digests = new LinkedHashSet<>();
        digests.add(manifest.digest());
        imagesFor(platforms).forEach(image -> digests.add(image.manifest().digest()));
        return new ArrayList<>(digests);
    }

    /** The blob digests (configs and layers) a walk for {@code platforms} fetches. */
    public List<String> blobDigestsFor(Collection<String> platforms) {
        LinkedHashSet<String> digests = new LinkedHashSet<>();
        imagesFor(platforms).forEach(image -> digests.addAll(image.blobDigests()));
        return new ArrayList<>(digests);
    }

    /** Every blob digest of every image. */
    public List<String> blobDigests() {
        LinkedHashSet<String> digests = new LinkedHashSet<>();
        images.forEach(image -> digests.addAll(image.blobDigests()));
        return new ArrayList<>(digests);
    }
}

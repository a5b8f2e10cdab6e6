package io.ocimirror.testing.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One image manifest of a pushed artifact and the blobs it references: a single image, one child of an index, or a
 * Helm chart (no platform).
 *
 * @param platform {@code os/architecture}, e.g. {@code linux/amd64}; empty for an artifact without one
 * @param manifest the image manifest itself
 * @param config the config blob
 * @param layers the layer blobs, in manifest order
 */
public record ImageManifest(Optional<String> platform, Descriptor manifest, Descriptor config,
        List<Descriptor> layers) {

    public ImageManifest {
        layers = List.copyOf(layers);
    }

    /** The config digest and then the layer digests: every blob a full pull of this image fetches. */
    public List<String> blobDigests() {
        List<String> digests = new ArrayList<>();
        digests.add(config.digest());
        layers.forEach(layer -> digests.add(layer.digest()));
        return digests;
    }

    public boolean isFor(String wantedPlatform) {
        return platform.map(wantedPlatform::equals).orElse(false);
    }
}

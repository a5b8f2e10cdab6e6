package io.ocimirror.registry;

import java.util.List;
import java.util.Set;

/**
 * What the replication walk needs from a manifest: an index lists child manifests by platform, an image manifest
 * lists its blobs (config first, then layers).
 *
 * @param digest    the manifest's content digest ({@code sha256:<64 hex>}), computed from the bytes received
 * @param mediaType the manifest's media type, from its {@code mediaType} field or else the Content-Type
 * @param children  for an index (OCI image index or Docker manifest list); empty otherwise
 * @param blobs     for an image manifest; empty for an index
 */
public record Manifest(String digest, String mediaType, List<Child> children, List<Blob> blobs) {

    public boolean isIndex() {
        return !children.isEmpty();
    }

    /** An index entry; platform fields are empty when the index gives none. */
    public record Child(String digest, String os, String architecture, String variant) {
    }

    /**
     * A config or layer descriptor.
     *
     * @param size bytes, as the descriptor states; -1 when it states none
     * @param urls where the runtime fetches the blob instead of the registry (OCI image spec, descriptor.md)
     */
    public record Blob(String digest, String mediaType, long size, List<String> urls) {

        /**
         * Layers a registry does not hold: Docker's foreign layers and the OCI image spec's non-distributable ones,
         * and any descriptor with {@code urls}. The runtime fetches them from their URLs (Windows base layers).
         */
        private static final Set<String> FOREIGN_MEDIA_TYPES = Set.of(
                "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip",
                "application/vnd.docker.image.rootfs.foreign.diff.tar");
        private static final String NON_DISTRIBUTABLE_PREFIX = "application/vnd.oci.image.layer.nondistributable.";

        /** Whether a mirror can be asked for this blob at all. */
        public boolean fetchedFromRegistry() {
            return urls.isEmpty() && !FOREIGN_MEDIA_TYPES.contains(mediaType)
                    && !mediaType.startsWith(NON_DISTRIBUTABLE_PREFIX);
        }
    }
}

package io.ocimirror.replication;

import java.util.List;

/**
 * What the replication walk needs from a manifest: an index lists child manifests by platform, an image manifest
 * lists its blobs (config first, then layers).
 *
 * @param digest   the manifest's content digest
 * @param children for an index (OCI image index or Docker manifest list); empty otherwise
 * @param blobs    for an image manifest; empty for an index
 */
public record Manifest(String digest, List<Child> children, List<String> blobs) {

    public boolean isIndex() {
        return !children.isEmpty();
    }

    /** An index entry; platform fields are empty when the index (or the client reading it) gives none. */
    public record Child(String digest, String os, String architecture, String variant) {
    }
}

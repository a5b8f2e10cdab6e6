package io.ocimirror.config;

/** How much of an image replication fetches through the mirror. */
public enum ReplicationMode {
    /** Manifests, the children of the configured platforms, and every config and layer blob: warms every cache. */
    FULL,
    /** Only the manifest requests; enough for mirrors that copy whole images on a manifest request. */
    MANIFEST
}

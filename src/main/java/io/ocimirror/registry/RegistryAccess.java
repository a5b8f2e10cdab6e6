package io.ocimirror.registry;

/**
 * The registry calls replication needs, against one registry host. Implementations time out every call and never
 * log or return credentials.
 */
public interface RegistryAccess {

    /**
     * GETs a manifest, accepting OCI and Docker indexes and image manifests.
     *
     * @param reference a tag or a digest
     */
    Manifest manifest(String repository, String reference) throws RegistryAccessException;

    /**
     * GETs a blob, streams it through a digest check and discards it; for a mirror set to
     * {@code stopBlobReadsEarly}, closes the 2xx answer without reading its body.
     *
     * @return the number of bytes fetched (0 when the body was not read)
     */
    long blob(String repository, String digest) throws RegistryAccessException;
}

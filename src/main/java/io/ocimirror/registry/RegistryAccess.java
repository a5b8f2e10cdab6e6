package io.ocimirror.registry;

import java.util.List;
import java.util.Optional;

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
     * GETs a manifest that may well not exist, such as a signature's tag: a 404 is an answer here, not a failed call,
     * and is not logged as one.
     *
     * @param reference a tag or a digest
     * @return the manifest; empty when the registry answers 404
     * @throws RegistryAccessException as for {@link #manifest}, for every failure but a 404
     */
    Optional<Manifest> manifestIfPresent(String repository, String reference) throws RegistryAccessException;

    /**
     * Lists the manifests that refer to a manifest (OCI distribution spec v1.1, "Listing Referrers":
     * {@code GET /v2/<name>/referrers/<digest>}), answered as an OCI image index whose {@code manifests} are their
     * descriptors. Registries without the API say so in several ways, and each is taken for "no referrers API here":
     * 404, 400 (Quay), 401 without a {@code WWW-Authenticate} challenge (Harbor 2.7), 405, 406 (Artifactory), 501,
     * and a 2xx whose Content-Type or media type is not the OCI image index. None of these is a failed call: it is
     * not logged, not retried and not counted against the mirror. The client then reads the referrers tag schema
     * ({@code <alg>-<ref>}) with {@link #manifestIfPresent}.
     *
     * @param digest the digest of the manifest referred to; checked before it becomes part of the URL
     * @return the index, its {@link Manifest#digest()} that of the answer's bytes; empty when the registry has no
     *         referrers API, as above
     * @throws RegistryAccessException {@link RegistryAccessException.Failure#UNSUPPORTED} for a digest that is not a
     *                                 sha256 or sha512 digest (nothing is asked); otherwise as for {@link #manifest}:
     *                                 a 5xx or an unreachable mirror is a failure of the mirror
     */
    Optional<Manifest> referrers(String repository, String digest) throws RegistryAccessException;

    /**
     * GETs a blob, streams it through a size and digest check and discards it; for a mirror set to
     * {@code stopBlobReadsEarly}, closes the 2xx answer without reading its body. The read has a deadline that grows
     * with the size.
     *
     * @param size the size its descriptor states; -1 when it states none
     * @return the number of bytes fetched (0 when the body was not read)
     * @throws RegistryAccessException {@link RegistryAccessException.Failure#INVALID_CONTENT} for more or fewer
     *                                 bytes than {@code size} or another digest; {@link
     *                                 RegistryAccessException.Failure#UNREACHABLE} for a read past its deadline
     */
    long blob(String repository, String digest, long size) throws RegistryAccessException;

    /**
     * Lists a repository's tags (distribution spec, "Listing Tags": {@code GET /v2/<name>/tags/list}), following the
     * pages a registry links with {@code Link: <...?n=...&last=...>; rel="next"} on the same host.
     *
     * @return the tags in the order the registry lists them; empty for a repository without tags
     * @throws RegistryAccessException as for {@link #manifest}; {@link RegistryAccessException.Failure#UNSUPPORTED}
     *                                 for an answer that is not a tag list, a next page on another host, or more
     *                                 pages than a client reads
     */
    List<String> tags(String repository) throws RegistryAccessException;
}

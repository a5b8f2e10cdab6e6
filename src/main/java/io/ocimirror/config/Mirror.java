package io.ocimirror.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where one source registry is mirrored.
 *
 * @param sourceRegistry  the normalised source registry ({@code docker.io}, {@code registry:5000})
 * @param baseDomain      the host rewritten references point at (pods pull from it)
 * @param subPath         the path prefix on the mirror, without slashes; empty when the mirror serves at its root
 * @param replicationHost the host replication requests go to: the mirror's own {@code replicationHost}, else the
 *                        configuration's {@code primaryMirror}, else {@code baseDomain}
 * @param insecure        whether replication talks plain HTTP to the mirror (lab and test mirrors); HTTPS mirrors
 *                        are always verified
 * @param rewritePolicy   whether references are rewritten before the mirror is known to hold them
 * @param caFile          a PEM bundle of CA certificates trusted for this mirror besides the JVM's defaults
 * @param stopBlobReadsEarly whether replication closes a blob's answer once it arrives, without reading its body:
 *                        for mirrors that store a blob they started serving when the client goes away (Docker
 *                        Distribution in proxy mode, measured by {@code bench/proxy-early-stop.sh})
 * @param referrers       whether replication through this mirror warms the signatures and attestations of a warmed
 *                        image too: its referrers (OCI distribution spec, "Listing Referrers", or the referrers tag
 *                        schema) and cosign's {@code sha256-<hex>.sig}, {@code .att} and {@code .sbom} tags; the
 *                        entry's {@code replication.referrers}, else the top-level one
 */
public record Mirror(
        String sourceRegistry,
        String baseDomain,
        String subPath,
        String replicationHost,
        boolean insecure,
        RewritePolicy rewritePolicy,
        Optional<Path> caFile,
        boolean stopBlobReadsEarly,
        boolean referrers) {

    /** The repository path on the mirror for a repository of the source registry. */
    public String mirrorRepository(String sourceRepository) {
        return subPath.isEmpty() ? sourceRepository : subPath + "/" + sourceRepository;
    }

    /** Whether a repository on a mirror host lies under this mirror's sub-path. */
    public boolean holdsRepository(String mirrorRepository) {
        return subPath.isEmpty() || mirrorRepository.startsWith(subPath + "/");
    }
}

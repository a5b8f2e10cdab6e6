package io.ocimirror.replication;

import java.util.List;

/**
 * The tags under which clients without the referrers API store what refers to a manifest, named after its digest.
 */
final class ReferrerTags {

    /** What cosign tags next to an image: its signatures, attestations and SBOM. */
    private static final List<String> COSIGN_SUFFIXES = List.of(".sig", ".att", ".sbom");
    /** The referrers tag schema keeps this much of the algorithm and of the encoded digest. */
    private static final int MAX_ALGORITHM = 32;
    private static final int MAX_ENCODED = 64;

    private ReferrerTags() {
    }

    /**
     * The tag of the referrers tag schema (OCI distribution spec v1.1, "Referrers Tag Schema"): {@code <alg>-<ref>},
     * the algorithm cut to 32 characters and the encoded digest to 64, every character a tag may not hold replaced by
     * {@code -}.
     *
     * @param digest a digest already checked against the digest grammar ({@code <algorithm>:<encoded>}, so it holds
     *               a colon); a digest the walk fetched, never a string from the network unchecked
     * @return e.g. {@code sha256-<64 hex>}
     */
    static String fallback(String digest) {
        int colon = digest.indexOf(':');
        return tagSafe(cut(digest.substring(0, colon), MAX_ALGORITHM)) + "-"
                + tagSafe(cut(digest.substring(colon + 1), MAX_ENCODED));
    }

    /**
     * cosign's tags of an image's signatures, attestations and SBOM: {@code sha256-<hex>.sig}, {@code .att},
     * {@code .sbom}. cosign names them after the sha256 digest only.
     *
     * @param digest a digest checked against the digest grammar
     * @return the three tags, or none for a digest of another algorithm
     */
    static List<String> cosign(String digest) {
        if (!digest.startsWith("sha256:")) {
            return List.of();
        }
        String base = digest.replace(':', '-');
        return COSIGN_SUFFIXES.stream().map(suffix -> base + suffix).toList();
    }

    private static String cut(String text, int length) {
        return text.length() > length ? text.substring(0, length) : text;
    }

    private static String tagSafe(String text) {
        return text.replaceAll("[^a-zA-Z0-9._-]", "-");
    }
}

package io.ocimirror.registry;

import io.ocimirror.registry.RegistryAccessException.Failure;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The digest algorithms content is verified with: the two the OCI image spec registers (descriptor.md, "Registered
 * algorithms"), {@code sha256} and {@code sha512}, each encoded as lower-case hex.
 */
enum ContentDigest {
    SHA256("sha256", "SHA-256", 64),
    SHA512("sha512", "SHA-512", 128);

    private static final HexFormat HEX = HexFormat.of();

    private final String prefix;
    private final String jcaName;
    private final int hexLength;

    ContentDigest(String algorithm, String jcaName, int hexLength) {
        this.prefix = algorithm + ":";
        this.jcaName = jcaName;
        this.hexLength = hexLength;
    }

    /**
     * @param digest a digest to verify content against ({@code sha512:<128 hex>})
     * @param what   names the content in the error
     * @return its algorithm
     * @throws RegistryAccessException {@link Failure#UNSUPPORTED} for another algorithm or a malformed encoding:
     *                                 content cannot be verified against it
     */
    static ContentDigest of(String digest, String what) throws RegistryAccessException {
        for (ContentDigest algorithm : values()) {
            if (digest.startsWith(algorithm.prefix)) {
                String encoded = digest.substring(algorithm.prefix.length());
                if (encoded.length() == algorithm.hexLength && encoded.chars().allMatch(
                        c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                    return algorithm;
                }
            }
        }
        throw new RegistryAccessException(Failure.UNSUPPORTED, what + ": not a sha256 or sha512 digest");
    }

    /** A new digester of this algorithm. */
    MessageDigest digester() {
        try {
            return MessageDigest.getInstance(jcaName);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has " + jcaName, e);
        }
    }

    /** The digest ({@code sha256:<hex>}) of a digester's result. */
    String format(byte[] hash) {
        return prefix + HEX.formatHex(hash);
    }
}

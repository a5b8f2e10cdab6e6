package io.ocimirror.testing.registry;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/** What a manifest says about an object it references: media type, {@code sha256:} digest and size. */
public record Descriptor(String mediaType, String digest, long size) {

    public Descriptor {
        Objects.requireNonNull(mediaType, "mediaType");
        Objects.requireNonNull(digest, "digest");
        if (!digest.matches("sha256:[0-9a-f]{64}")) {
            throw new IllegalArgumentException("not a sha256 digest: " + digest);
        }
    }

    /** The descriptor of {@code content} with the given media type. */
    public static Descriptor of(String mediaType, byte[] content) {
        return new Descriptor(mediaType, sha256(content), content.length);
    }

    /** {@code sha256:<64 hex>} of {@code content}. */
    public static String sha256(byte[] content) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** The 64 hex characters after {@code sha256:}. */
    public String hex() {
        return digest.substring("sha256:".length());
    }
}

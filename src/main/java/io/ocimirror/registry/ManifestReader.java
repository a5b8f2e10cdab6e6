package io.ocimirror.registry;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ocimirror.registry.RegistryAccessException.Failure;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads OCI image indexes and manifests, their Docker v2 schema 2 counterparts and Docker schema 1 manifests (their
 * {@code fsLayers}) into a {@link Manifest}. It keeps
 * what a walk needs (media type, digest, size, platform, {@code urls}) and ignores every other field, as the OCI image
 * spec asks of readers ("unknown fields MUST be ignored"): descriptors with {@code data}, {@code annotations},
 * {@code subject}, {@code "artifactType": null}, and whatever later versions add. Artifact manifests (signatures,
 * attestations, SBOMs: an OCI image manifest with an {@code artifactType}, an {@code application/vnd.oci.empty.v1+json}
 * config or layers of any media type) are image manifests to it, their config and layers blobs like any other; a
 * referrers answer is an OCI image index.
 */
public final class ManifestReader {

    public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    public static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    /** Docker's schema 1 manifest, signed; its unsigned form is {@code ...v1+json}. */
    public static final String SCHEMA1 = "application/vnd.docker.distribution.manifest.v1+prettyjws";
    /** What a schema 1 layer is: the manifest names no media type for its {@code fsLayers}. */
    private static final String SCHEMA1_LAYER = "application/vnd.docker.image.rootfs.diff.tar.gzip";
    /** The Accept list of a manifest GET: indexes first, so a registry that can serve one does. */
    static final List<String> ACCEPTED = List.of(OCI_INDEX, DOCKER_LIST, OCI_MANIFEST, DOCKER_MANIFEST);
    private static final Set<String> INDEX_TYPES = Set.of(OCI_INDEX, DOCKER_LIST);

    private final ObjectMapper json = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    @JsonIgnoreProperties(ignoreUnknown = true)
    private record Document(Integer schemaVersion, String mediaType, Descriptor config, List<Descriptor> layers,
            List<Descriptor> manifests, List<FsLayer> fsLayers) {
    }

    /** A layer of a Docker schema 1 manifest (docker/distribution docs/spec/manifest-v2-1.md). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    private record FsLayer(String blobSum) {
    }

    /** The protected header of a schema 1 signature: where the signed payload ends and what follows it. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    private record ProtectedHeader(Long formatLength, String formatTail) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    private record Descriptor(String mediaType, String digest, Long size, List<String> urls,
            DescriptorPlatform platform) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    private record DescriptorPlatform(String os, String architecture, String variant) {
    }

    /**
     * The bytes a manifest's digest is computed over: the body, except for a signed Docker schema 1 manifest
     * ({@code application/vnd.docker.distribution.manifest.v1+prettyjws}), whose digest is over its JWS payload, the
     * body without the {@code signatures} (libtrust: the first {@code formatLength} bytes followed by the decoded
     * {@code formatTail} of the protected header). The signatures themselves are not verified: the digest is what
     * names the content.
     *
     * @param body the manifest bytes as received
     * @param what names the manifest in error messages
     * @return the bytes to digest
     * @throws RegistryAccessException {@link Failure#INVALID_CONTENT} for a signature header that does not describe
     *                                 the body
     */
    byte[] digestedContent(byte[] body, String what) throws RegistryAccessException {
        JsonNode document;
        try {
            document = json.readTree(body);
        } catch (java.io.IOException notJson) {
            return body;
        }
        JsonNode signatures = document == null ? null : document.get("signatures");
        if (document == null || document.path("schemaVersion").asInt() != 1 || signatures == null
                || !signatures.isArray() || signatures.isEmpty()) {
            return body;
        }
        try {
            ProtectedHeader header = json.readValue(
                    Base64.getUrlDecoder().decode(signatures.get(0).path("protected").asText()), ProtectedHeader.class);
            byte[] tail = Base64.getUrlDecoder().decode(header.formatTail());
            int length = Math.toIntExact(header.formatLength());
            if (length < 0 || length > body.length) {
                throw new IllegalArgumentException("formatLength " + length + " beyond the body");
            }
            byte[] payload = Arrays.copyOf(body, length + tail.length);
            System.arraycopy(tail, 0, payload, length, tail.length);
            return payload;
        } catch (java.io.IOException | RuntimeException e) {
            throw new RegistryAccessException(Failure.INVALID_CONTENT, what + ": a schema 1 signature that does not"
                    + " describe the manifest (" + e.getMessage() + ")");
        }
    }

    /**
     * @param body        the manifest bytes as received
     * @param digest      their digest ({@link #digestedContent})
     * @param contentType the response's Content-Type, used when the document names no media type
     * @param what        names the manifest in error messages
     * @throws RegistryAccessException {@link Failure#UNSUPPORTED} for a document that is not a manifest;
     *                                 {@link Failure#INVALID_CONTENT} for JSON that does not parse
     */
    Manifest read(byte[] body, String digest, Optional<String> contentType, String what)
            throws RegistryAccessException {
        Document document;
        try {
            document = json.readValue(body, Document.class);
        } catch (JacksonException e) {
            throw new RegistryAccessException(Failure.INVALID_CONTENT, what + ": not a manifest ("
                    + e.getOriginalMessage() + ")");
        } catch (java.io.IOException e) {
            throw new RegistryAccessException(Failure.INVALID_CONTENT, what + ": cannot read (" + e.getMessage() + ")");
        }
        if (document != null && Integer.valueOf(1).equals(document.schemaVersion()) && document.fsLayers() != null) {
            return new Manifest(digest, SCHEMA1, List.of(), schema1Blobs(document, what));
        }
        if (document == null || !Integer.valueOf(2).equals(document.schemaVersion())) {
            throw new RegistryAccessException(Failure.UNSUPPORTED, what + ": schema version "
                    + (document == null ? "missing" : document.schemaVersion())
                    + " (not an OCI or Docker manifest)");
        }
        String mediaType = Optional.ofNullable(document.mediaType())
                .or(() -> contentType.map(type -> type.split(";", 2)[0].trim()))
                .orElse("");
        if (INDEX_TYPES.contains(mediaType) || (document.manifests() != null && document.layers() == null)) {
            return new Manifest(digest, mediaType, children(document, what), List.of());
        }
        return new Manifest(digest, mediaType, List.of(), blobs(document, what));
    }

    private static List<Manifest.Child> children(Document index, String what) throws RegistryAccessException {
        List<Manifest.Child> children = new ArrayList<>();
        for (Descriptor entry : Optional.ofNullable(index.manifests()).orElse(List.of())) {
            DescriptorPlatform platform =
                    Optional.ofNullable(entry.platform()).orElse(new DescriptorPlatform(null, null, null));
            children.add(new Manifest.Child(digestOf(entry, what), text(platform.os()),
                    text(platform.architecture()), text(platform.variant())));
        }
        return List.copyOf(children);
    }

    /** A schema 1 manifest lists its layers as {@code fsLayers} (top first, repeated for empty layers). */
    private static List<Manifest.Blob> schema1Blobs(Document image, String what) throws RegistryAccessException {
        List<Manifest.Blob> blobs = new ArrayList<>();
        for (FsLayer layer : image.fsLayers()) {
            if (layer == null || layer.blobSum() == null || layer.blobSum().isEmpty()) {
                throw new RegistryAccessException(Failure.INVALID_CONTENT, what + ": an fsLayer without a blobSum");
            }
            blobs.add(new Manifest.Blob(layer.blobSum(), SCHEMA1_LAYER, -1, List.of()));
        }
        return List.copyOf(blobs);
    }

    private static List<Manifest.Blob> blobs(Document image, String what) throws RegistryAccessException {
        List<Manifest.Blob> blobs = new ArrayList<>();
        if (image.config() != null) {
            blobs.add(blob(image.config(), what));
        }
        for (Descriptor layer : Optional.ofNullable(image.layers()).orElse(List.of())) {
            blobs.add(blob(layer, what));
        }
        return List.copyOf(blobs);
    }

    private static Manifest.Blob blob(Descriptor descriptor, String what) throws RegistryAccessException {
        return new Manifest.Blob(digestOf(descriptor, what), text(descriptor.mediaType()),
                descriptor.size() == null ? -1 : descriptor.size(),
                descriptor.urls() == null ? List.of() : List.copyOf(descriptor.urls()));
    }

    private static String digestOf(Descriptor descriptor, String what) throws RegistryAccessException {
        if (descriptor.digest() == null || descriptor.digest().isEmpty()) {
            throw new RegistryAccessException(Failure.INVALID_CONTENT, what + ": a descriptor without a digest");
        }
        return descriptor.digest();
    }

    private static String text(String value) {
        return value == null ? "" : value;
    }
}

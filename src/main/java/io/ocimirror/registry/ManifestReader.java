package io.ocimirror.registry;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ocimirror.registry.RegistryAccessException.Failure;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads OCI image indexes and manifests and their Docker v2 schema 2 counterparts into a {@link Manifest}. It keeps
 * what a walk needs (media type, digest, size, platform, {@code urls}) and ignores every other field, as the OCI image
 * spec asks of readers ("unknown fields MUST be ignored"): descriptors with {@code data}, {@code annotations},
 * {@code subject}, {@code "artifactType": null}, and whatever later versions add.
 */
public final class ManifestReader {

    public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    public static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    /** The Accept list of a manifest GET: indexes first, so a registry that can serve one does. */
    static final List<String> ACCEPTED = List.of(OCI_INDEX, DOCKER_LIST, OCI_MANIFEST, DOCKER_MANIFEST);
    private static final Set<String> INDEX_TYPES = Set.of(OCI_INDEX, DOCKER_LIST);

    private final ObjectMapper json = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    @JsonIgnoreProperties(ignoreUnknown = true)
    private record Document(Integer schemaVersion, String mediaType, Descriptor config, List<Descriptor> layers,
            List<Descriptor> manifests) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    private record Descriptor(String mediaType, String digest, Long size, List<String> urls,
            DescriptorPlatform platform) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    private record DescriptorPlatform(String os, String architecture, String variant) {
    }

    /**
     * @param body        the manifest bytes as received
     * @param digest      their sha256 digest
     * @param contentType the response's Content-Type, used when the document names no media type
     * @param what        names the manifest in error messages
     * @throws RegistryAccessException {@link Failure#UNSUPPORTED} for a schema 1 manifest or a document that is not
     *                                 a manifest; {@link Failure#INVALID_CONTENT} for JSON that does not parse
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
        if (document == null || !Integer.valueOf(2).equals(document.schemaVersion())) {
            throw new RegistryAccessException(Failure.UNSUPPORTED, what + ": schema version "
                    + (document == null ? "missing" : document.schemaVersion())
                    + " (a schema 1 manifest: the mirror ignored the Accept header)");
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

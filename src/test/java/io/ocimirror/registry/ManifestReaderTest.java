package io.ocimirror.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ocimirror.registry.RegistryAccessException.Failure;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Manifests as public registries serve them, with fields the walk does not need (OCI image spec: ignore them). */
class ManifestReaderTest {

    private static final String CONFIG = "sha256:" + "c".repeat(64);
    private static final String LAYER = "sha256:" + "1".repeat(64);
    private static final String CHILD = "sha256:" + "2".repeat(64);
    private static final String SUBJECT = "sha256:" + "3".repeat(64);

    private final ManifestReader reader = new ManifestReader();

    @Test
    void readsAnIndexWithNullArtifactTypeSubjectAnnotationsAndUnknownFields() throws Exception {
        Manifest index = read("""
                {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json", "artifactType": null,
                 "subject": {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": "%s", "size": 7},
                 "annotations": {"org.opencontainers.image.created": "2024-01-01T00:00:00Z"},
                 "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": "%s",
                   "size": 500, "artifactType": null, "annotations": {"a": "b"},
                   "platform": {"os": "linux", "architecture": "arm", "variant": "v7", "os.features": ["x"]}}],
                 "somethingNew": {"nested": [1, 2, 3]}}
                """.formatted(SUBJECT, CHILD), Optional.empty());

        assertEquals(List.of(new Manifest.Child(CHILD, "linux", "arm", "v7")), index.children());
        assertEquals(ManifestReader.OCI_INDEX, index.mediaType());
    }

    @Test
    void readsAnImageManifestWithEmbeddedDataAndUrls() throws Exception {
        Manifest image = read("""
                {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                 "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": "%s", "size": 2,
                   "data": "e30="},
                 "layers": [{"mediaType": "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip",
                   "digest": "%s", "size": 9, "urls": ["https://example.com/layer"], "annotations": {}}]}
                """.formatted(CONFIG, LAYER), Optional.empty());

        assertEquals(List.of(
                new Manifest.Blob(CONFIG, "application/vnd.oci.image.config.v1+json", 2, List.of()),
                new Manifest.Blob(LAYER, "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip", 9,
                        List.of("https://example.com/layer"))), image.blobs());
    }

    /** Signatures, attestations and SBOMs as cosign and OCI 1.1 clients push them: image manifests to the reader. */
    static Stream<Arguments> artifactManifests() {
        return Stream.of(
                Arguments.of("cosign signature", """
                        {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                         "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": "%s",
                           "size": 233},
                         "layers": [{"mediaType": "application/vnd.dev.cosign.simplesigning.v1+json",
                           "digest": "%s", "size": 250, "annotations": {"dev.cosignproject.cosign/signature": "MEU="}}]}
                        """, "application/vnd.oci.image.config.v1+json",
                        "application/vnd.dev.cosign.simplesigning.v1+json"),
                Arguments.of("OCI 1.1 artifact with an empty config and a subject", """
                        {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                         "artifactType": "application/vnd.in-toto+json",
                         "config": {"mediaType": "application/vnd.oci.empty.v1+json", "digest": "%s", "size": 2,
                           "data": "e30="},
                         "layers": [{"mediaType": "application/vnd.in-toto+json", "digest": "%s", "size": 300}],
                         "subject": {"mediaType": "application/vnd.oci.image.index.v1+json",
                           "digest": "sha256:3333333333333333333333333333333333333333333333333333333333333333",
                           "size": 900}}
                        """, "application/vnd.oci.empty.v1+json", "application/vnd.in-toto+json"),
                Arguments.of("cosign attestation without media type in the document", """
                        {"schemaVersion": 2,
                         "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": "%s", "size": 9},
                         "layers": [{"mediaType": "application/vnd.dsse.envelope.v1+json", "digest": "%s", "size": 1}]}
                        """, "application/vnd.oci.image.config.v1+json", "application/vnd.dsse.envelope.v1+json"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("artifactManifests")
    void readsArtifactManifestsWithTheirBlobs(String name, String json, String configType, String layerType)
            throws Exception {
        Manifest artifact = read(json.formatted(CONFIG, LAYER), Optional.of(ManifestReader.OCI_MANIFEST));

        assertEquals(ManifestReader.OCI_MANIFEST, artifact.mediaType());
        assertEquals(List.of(CONFIG, LAYER), artifact.blobs().stream().map(Manifest.Blob::digest).toList());
        assertEquals(List.of(configType, layerType), artifact.blobs().stream().map(Manifest.Blob::mediaType).toList());
        assertTrue(artifact.blobs().stream().allMatch(Manifest.Blob::fetchedFromRegistry));
    }

    @Test
    void readsAReferrersIndexWithArtifactTypesAndAnEmptyOne() throws Exception {
        Manifest referrers = read("""
                {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
                 "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": "%s",
                   "size": 700, "artifactType": "application/vnd.dev.sigstore.bundle.v0.3+json",
                   "annotations": {"org.opencontainers.image.created": "2024-01-01T00:00:00Z"}}]}
                """.formatted(CHILD), Optional.empty());
        Manifest none = read("""
                {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json", "manifests": []}
                """, Optional.empty());

        assertEquals(List.of(new Manifest.Child(CHILD, "", "", "")), referrers.children());
        assertEquals(ManifestReader.OCI_INDEX, none.mediaType());
        assertEquals(List.of(), none.children());
        assertEquals(List.of(), none.blobs());
    }

    @Test
    void takesTheMediaTypeFromTheContentTypeWhenTheDocumentHasNone() throws Exception {
        Manifest list = read("""
                {"schemaVersion": 2, "manifests": [{"digest": "%s", "size": 1}]}
                """.formatted(CHILD), Optional.of(ManifestReader.DOCKER_LIST + "; charset=utf-8"));

        assertEquals(ManifestReader.DOCKER_LIST, list.mediaType());
        assertEquals(List.of(new Manifest.Child(CHILD, "", "", "")), list.children());
    }

    @Test
    void readsTheLayersOfASchemaOneManifest() throws RegistryAccessException {
        Manifest schemaOne = read("{\"schemaVersion\": 1, \"fsLayers\": [{\"blobSum\": \"%s\"}]}".formatted(CHILD),
                Optional.empty());

        assertEquals(List.of(CHILD), schemaOne.blobs().stream().map(Manifest.Blob::digest).toList());
    }

    @Test
    void rejectsWhatIsNotAManifest() {
        RegistryAccessException noVersion = assertThrows(RegistryAccessException.class,
                () -> read("{\"fsLayers\": []}", Optional.empty()));
        assertEquals(Failure.UNSUPPORTED, noVersion.failure());

        RegistryAccessException noBlobSum = assertThrows(RegistryAccessException.class,
                () -> read("{\"schemaVersion\": 1, \"fsLayers\": [{}]}", Optional.empty()));
        assertEquals(Failure.INVALID_CONTENT, noBlobSum.failure());

        RegistryAccessException notJson = assertThrows(RegistryAccessException.class,
                () -> read("<html>proxy error</html>", Optional.empty()));
        assertEquals(Failure.INVALID_CONTENT, notJson.failure());

        RegistryAccessException noDigest = assertThrows(RegistryAccessException.class,
                () -> read("{\"schemaVersion\": 2, \"layers\": [{\"size\": 1}]}", Optional.empty()));
        assertEquals(Failure.INVALID_CONTENT, noDigest.failure());
    }

    private Manifest read(String json, Optional<String> contentType) throws RegistryAccessException {
        return reader.read(json.getBytes(StandardCharsets.UTF_8), "sha256:" + "0".repeat(64), contentType, "test");
    }
}

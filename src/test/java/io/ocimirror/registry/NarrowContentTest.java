package io.ocimirror.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ocimirror.config.MirrorConfiguration.ReplicationScope;
import io.ocimirror.config.ReplicationMode;
import io.ocimirror.reference.ImageReference;
import io.ocimirror.registry.RegistryAccessException.Failure;
import io.ocimirror.replication.RegistryWalk;
import io.ocimirror.testing.registry.StubRegistry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Content narrower than OCI image manifests pinned by sha256, read as the specs define it: Docker schema 1 manifests
 * (signed: named by the digest of their JWS payload; unsigned) whose {@code fsLayers} are warmed, and manifests and
 * blobs pinned by sha512, verified with sha512. Docker Distribution 2.8 refuses schema 1 pushes and names manifests
 * by sha256 only, so a small fake registry on 127.0.0.1 serves this content.
 */
class NarrowContentTest {

    private static final String LAYER_A = "layer a";
    private static final String LAYER_B = "layer b";
    private static final String SCHEMA1_PAYLOAD = """
            {
               "schemaVersion": 1,
               "name": "team/old",
               "tag": "1.0",
               "architecture": "amd64",
               "fsLayers": [
                  {"blobSum": "%s"},
                  {"blobSum": "%s"},
                  {"blobSum": "%s"}
               ],
               "history": []
            }""".formatted(sha256(LAYER_A), sha256(LAYER_B), sha256(LAYER_A));
    /** libtrust's form: the signatures are inserted before the payload's closing brace. */
    private static final int FORMAT_LENGTH = SCHEMA1_PAYLOAD.lastIndexOf("\n}");
    private static final String SIGNED_SCHEMA1 = SCHEMA1_PAYLOAD.substring(0, FORMAT_LENGTH)
            + ",\n   \"signatures\": [{\"header\": {\"alg\": \"ES256\"}, \"signature\": \"c2ln\", \"protected\": \""
            + base64Url("{\"formatLength\":" + FORMAT_LENGTH + ",\"formatTail\":\""
                    + base64Url(SCHEMA1_PAYLOAD.substring(FORMAT_LENGTH)) + "\",\"time\":\"2016-01-01T00:00:00Z\"}")
            + "\"}]" + SCHEMA1_PAYLOAD.substring(FORMAT_LENGTH);
    private static final String OCI_MANIFEST = """
            {"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",\
            "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"%s","size":7},\
            "layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"%s","size":7}]}"""
            .formatted(sha512(LAYER_A), sha512(LAYER_B));

    /** Path under /v2/ to content type and body. */
    private static final Map<String, String[]> SERVED = new ConcurrentHashMap<>();
    private static StubRegistry server;
    private static RegistryAccess access;

    @BeforeAll
    static void start() throws RegistryAccessException {
        serve("team/old/manifests/1.0", ManifestReader.SCHEMA1, SIGNED_SCHEMA1);
        serve("team/old/manifests/" + sha256(SCHEMA1_PAYLOAD), ManifestReader.SCHEMA1, SIGNED_SCHEMA1);
        serve("team/old/manifests/" + sha256(SIGNED_SCHEMA1), ManifestReader.SCHEMA1, SIGNED_SCHEMA1);
        serve("team/unsigned/manifests/1.0", "application/vnd.docker.distribution.manifest.v1+json", SCHEMA1_PAYLOAD);
        serve("team/new/manifests/" + sha512(OCI_MANIFEST), "application/vnd.oci.image.manifest.v1+json", OCI_MANIFEST);
        serve("team/new/manifests/" + sha512("tampered"), "application/vnd.oci.image.manifest.v1+json", OCI_MANIFEST);
        for (String layer : List.of(LAYER_A, LAYER_B)) {
            for (String repository : List.of("team/old", "team/unsigned", "team/new")) {
                serve(repository + "/blobs/" + sha256(layer), "application/octet-stream", layer);
                serve(repository + "/blobs/" + sha512(layer), "application/octet-stream", layer);
            }
        }
        serve("team/new/blobs/" + sha512("other"), "application/octet-stream", LAYER_A);
        server = StubRegistry.start().handle("/v2/", exchange -> {
            String[] content = SERVED.get(exchange.getRequestURI().getPath().substring("/v2/".length()));
            if (content == null) {
                StubRegistry.respond(exchange, 404, StubRegistry.NO_BODY);
            } else {
                StubRegistry.respond(exchange, 200, Map.of("Content-Type", content[0]),
                        content[1].getBytes(StandardCharsets.UTF_8));
            }
        });
        access = new RegistryAccessFactory(Duration.ofSeconds(3), Duration.ofSeconds(10), System::nanoTime).access(
                new RegistryAccessFactory.Endpoint(server.host(), true, Optional.empty(), false), Optional.empty());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Stream<Arguments> walks() {
        return Stream.of(
                // name, reference on the fake, digest of the top manifest, blobs warmed
                Arguments.of("a signed schema 1 manifest by tag", "team/old:1.0", sha256(SCHEMA1_PAYLOAD),
                        List.of(sha256(LAYER_A), sha256(LAYER_B))),
                Arguments.of("a signed schema 1 manifest pinned by its payload's digest",
                        "team/old@" + sha256(SCHEMA1_PAYLOAD), sha256(SCHEMA1_PAYLOAD),
                        List.of(sha256(LAYER_A), sha256(LAYER_B))),
                Arguments.of("an unsigned schema 1 manifest", "team/unsigned:1.0", sha256(SCHEMA1_PAYLOAD),
                        List.of(sha256(LAYER_A), sha256(LAYER_B))),
                Arguments.of("a manifest and blobs pinned by sha512", "team/new@" + sha512(OCI_MANIFEST),
                        sha512(OCI_MANIFEST), List.of(sha512(LAYER_A), sha512(LAYER_B))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("walks")
    void warmsTheManifestAndItsBlobs(String name, String reference, String digest, List<String> blobs)
            throws Exception {
        RegistryWalk.Result result = RegistryWalk.walk(access,
                ImageReference.parse(server.host() + "/" + reference),
                new ReplicationScope(ReplicationMode.FULL, List.of()));

        assertEquals(digest, result.manifest());
        assertEquals(blobs.size(), result.blobs());
        assertEquals((long) LAYER_A.length() + LAYER_B.length(), result.bytes());
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                // name, repository, manifest or blob, reference, failure
                Arguments.of("a schema 1 manifest pinned by the digest of its signed body", "team/old", "manifest",
                        sha256(SIGNED_SCHEMA1), Failure.INVALID_CONTENT),
                Arguments.of("a sha512-pinned manifest with other content", "team/new", "manifest",
                        sha512("tampered"), Failure.INVALID_CONTENT),
                Arguments.of("a sha512-pinned blob with other content", "team/new", "blob", sha512("other"),
                        Failure.INVALID_CONTENT),
                Arguments.of("a blob of an algorithm content cannot be verified with", "team/new", "blob",
                        "blake3:" + "a".repeat(64), Failure.UNSUPPORTED),
                Arguments.of("a sha512 digest of the wrong length", "team/new", "blob", "sha512:" + "a".repeat(64),
                        Failure.UNSUPPORTED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void refusesContentThatIsNotWhatWasPinned(String name, String repository, String kind, String digest,
            Failure failure) {
        RegistryAccessException error = assertThrows(RegistryAccessException.class, () -> {
            if (kind.equals("manifest")) {
                access.manifest(repository, digest);
            } else {
                access.blob(repository, digest, -1);
            }
        });

        assertEquals(failure, error.failure(), error.getMessage());
        assertFalse(error.failure().mirrorFailure(), "the mirror answered: content, not the mirror, is at fault");
    }

    private static void serve(String path, String contentType, String body) {
        SERVED.put(path, new String[] {contentType, body});
    }

    private static String base64Url(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String sha256(String text) {
        return "sha256:" + hash("SHA-256", text);
    }

    private static String sha512(String text) {
        return "sha512:" + hash("SHA-512", text);
    }

    private static String hash(String algorithm, String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm)
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

package io.ocimirror.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ocimirror.config.MirrorConfiguration.ReplicationScope;
import io.ocimirror.config.ReplicationMode;
import io.ocimirror.reference.ImageReference;
import io.ocimirror.replication.RegistryWalk;
import io.ocimirror.testing.Await;
import io.ocimirror.testing.registry.DistributionRegistry;
import io.ocimirror.testing.registry.RegistryResponse;
import io.ocimirror.testing.registry.RegistryTestClient;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Blobs pinned by sha512, which Docker Distribution 2.8 stores and serves (it names manifests by sha256 only):
 * warmed through a proxy-mode mirror and verified with sha512; the mirror stores them under their sha256.
 */
class Sha512ContentTest {

    private static final Duration LIMIT = Duration.ofSeconds(30);
    private static DistributionRegistry upstream;
    private static DistributionRegistry mirror;

    @BeforeAll
    static void start() {
        upstream = DistributionRegistry.upstream().start();
        mirror = DistributionRegistry.proxyOf(upstream).start();
    }

    @AfterAll
    static void stop() {
        mirror.close();
        upstream.close();
    }

    static Stream<Arguments> images() {
        return Stream.of(
                // repository, config, layers
                Arguments.of("team/sha512", "{\"architecture\":\"amd64\",\"os\":\"linux\"}",
                        List.of("layer one", "layer two")),
                Arguments.of("team/sha512-single", "{\"os\":\"linux\"}", List.of("only layer")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("images")
    void warmsSha512BlobsThroughAProxyMirror(String repository, String config, List<String> layers)
            throws Exception {
        RegistryTestClient client = upstream.client();
        StringBuilder layerDescriptors = new StringBuilder();
        for (String layer : layers) {
            layerDescriptors.append(layerDescriptors.length() == 0 ? "" : ",").append(descriptor(
                    "application/vnd.oci.image.layer.v1.tar+gzip", push(client, repository, layer), layer));
        }
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":" + descriptor("application/vnd.oci.image.config.v1+json", push(client, repository, config),
                        config)
                + ",\"layers\":[" + layerDescriptors + "]}";
        client.pushManifest(repository, "1.0", "application/vnd.oci.image.manifest.v1+json",
                manifest.getBytes(StandardCharsets.UTF_8));
        RegistryAccess access = new RegistryAccessFactory(Duration.ofSeconds(3), Duration.ofSeconds(10),
                System::nanoTime).access(new RegistryAccessFactory.Endpoint(mirror.hostPort(), true, Optional.empty(),
                        false), Optional.empty());

        RegistryWalk.Result result = RegistryWalk.walk(access, ImageReference.parse(mirror.hostPort() + "/"
                + repository + ":1.0"), new ReplicationScope(ReplicationMode.FULL, List.of()));

        assertEquals(layers.size() + 1, result.blobs());
        // A proxy-mode Distribution stores what it fetched under its canonical sha256 digest.
        for (String content : Stream.concat(Stream.of(config), layers.stream()).toList()) {
            String canonical = "sha256:" + hex("SHA-256", content);
            Await.until(LIMIT, () -> mirror.hasBlob(canonical), "the mirror to store " + content);
        }
    }

    private static String push(RegistryTestClient client, String repository, String content) {
        String digest = "sha512:" + hex(content);
        RegistryResponse started = client.send("POST", "/v2/" + repository + "/blobs/uploads/", Map.of(), new byte[0]);
        String location = started.header("Location").orElseThrow();
        RegistryResponse finished = client.send("PUT", location + (location.contains("?") ? "&" : "?") + "digest="
                + digest, Map.of("Content-Type", "application/octet-stream"), content.getBytes(StandardCharsets.UTF_8));
        assertEquals(201, finished.status(), "upstream stores the sha512 blob");
        return digest;
    }

    private static String descriptor(String mediaType, String digest, String content) {
        return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + digest + "\",\"size\":"
                + content.getBytes(StandardCharsets.UTF_8).length + "}";
    }

    private static String hex(String content) {
        return hex("SHA-512", content);
    }

    private static String hex(String algorithm, String content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm)
                    .digest(content.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

package io.ocimirror.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.ocimirror.testing.Await;
import io.ocimirror.testing.TestCertificates;
import io.ocimirror.testing.WebhookClient;
import io.ocimirror.testing.registry.Descriptor;
import io.ocimirror.testing.registry.DistributionRegistry;
import io.ocimirror.testing.registry.RegistryTestClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A Windows image behind a {@code rewritePolicy: replicated} mirror: a manifest list whose Windows child starts with a
 * foreign layer (media type {@code application/vnd.docker.image.rootfs.foreign.diff.tar.gzip}, with {@code urls},
 * held by no registry). The Pod says it runs on Windows, so only the Windows child is warmed; the walk leaves the
 * foreign layer to the runtime, warms everything else and succeeds, so the next Pod of the image is rewritten to
 * the mirror.
 */
@QuarkusTest
@QuarkusTestResource(value = WindowsForeignLayerTest.Registries.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(TestCertificates.class)
class WindowsForeignLayerTest {

    private static final Duration LIMIT = Duration.ofSeconds(60);
    static final String REPOSITORY = "acme/win-app";
    static final String TAG = "1.0";
    static final String FOREIGN_LAYER = "sha256:" + "f".repeat(64);

    @RegistryTestResource.Inject
    Registries registries;

    @Inject
    MeterRegistry meters;

    @TestHTTPResource(value = "/", tls = true)
    URL url;

    @Test
    void warmsEverythingButTheForeignLayerAndRewritesTheNextPod() {
        String image = "acme/win-app:1.0";
        String onMirror = registries.mirror.hostPort() + "/" + REPOSITORY + ":" + TAG;

        assertEquals(image, admittedImage(image), "not rewritten before the mirror holds it");
        Await.until(LIMIT, () -> jobs("succeeded") >= 1, () -> "the job to succeed (failed: " + jobs("failed") + ")");

        for (String blob : registries.windowsBlobs) {
            assertTrue(registries.mirror.awaitBlob(blob, LIMIT), "blob " + blob + " warmed");
        }
        assertFalse(registries.mirror.requests().stream().anyMatch(r -> r.path().contains(FOREIGN_LAYER)),
                "the foreign layer was never asked for");
        for (String blob : registries.linuxBlobs) {
            assertFalse(registries.mirror.requests().stream().anyMatch(r -> r.path().contains(blob)),
                    "the Linux child's blob " + blob + " is not warmed for a Windows Pod");
        }
        assertEquals(onMirror, admittedImage(image));
    }

    private double jobs(String outcome) {
        // Only this test's mirror host: an earlier application in this JVM may have left docker.io meters.
        Counter counter = meters.find(ReplicationMetrics.JOBS_METRIC).tags("source_registry", "docker.io",
                "mirror_host", registries.mirror.hostPort(), "outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }

    private String admittedImage(String image) {
        WebhookClient client = new WebhookClient(url);
        ObjectNode pod = (ObjectNode) client.read("""
                {"apiVersion": "v1", "kind": "Pod", "metadata": {"generateName": "win-app-", "namespace": "shop"},
                 "spec": {"nodeSelector": {"kubernetes.io/os": "windows"}, "os": {"name": "windows"},
                          "containers": [{"name": "app", "image": "%s"}]}}
                """.formatted(image));
        JsonNode mutated = client.admit(client.review("", "v1", "pods", null, "CREATE", "shop", pod, null, false))
                .applyTo(pod);
        return mutated.at("/spec/containers/0/image").asText();
    }

    /** An upstream holding the Windows image (it must allow layer URLs), and a proxy mirror of it. */
    public static class Registries extends RegistryTestResource {

        DistributionRegistry upstream;
        DistributionRegistry mirror;
        List<String> windowsBlobs;
        List<String> linuxBlobs;

        @Override
        public Map<String, String> start() {
            upstream = started(DistributionRegistry.upstreamAllowingLayerUrls());
            pushWindowsImage(upstream.client());
            mirror = started(DistributionRegistry.proxyOf(upstream));
            Path config = configFile("oci-mirror-windows", """
                    registryMirrors:
                      docker.io: {baseDomain: "%s", insecure: true, rewritePolicy: replicated}
                    replication:
                      mode: full
                      platforms: [linux/amd64, windows/amd64]
                    """.formatted(mirror.hostPort()));
            return Map.of(
                    "oci-mirror.config-file", config.toString(),
                    "oci-mirror.replication.enabled", "true");
        }

        private void pushWindowsImage(RegistryTestClient registry) {
            Descriptor linuxConfig = registry.pushBlob(REPOSITORY, "application/vnd.docker.container.image.v1+json",
                    bytes("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\"}}"));
            Descriptor linuxLayer = registry.pushBlob(REPOSITORY, "application/vnd.docker.image.rootfs.diff.tar.gzip",
                    bytes("linux application layer"));
            Descriptor windowsConfig = registry.pushBlob(REPOSITORY,
                    "application/vnd.docker.container.image.v1+json",
                    bytes("{\"architecture\":\"amd64\",\"os\":\"windows\",\"os.version\":\"10.0.20348.2340\"}"));
            Descriptor windowsLayer = registry.pushBlob(REPOSITORY,
                    "application/vnd.docker.image.rootfs.diff.tar.gzip", bytes("windows application layer"));
            windowsBlobs = List.of(windowsConfig.digest(), windowsLayer.digest());
            linuxBlobs = List.of(linuxConfig.digest(), linuxLayer.digest());
            Descriptor linux = registry.pushManifest(REPOSITORY, "linux", MANIFEST, bytes("""
                    {"schemaVersion":2,"mediaType":"%s","config":%s,"layers":[%s]}""".formatted(MANIFEST,
                    json(linuxConfig), json(linuxLayer))));
            Descriptor windows = registry.pushManifest(REPOSITORY, "windows", MANIFEST, bytes("""
                    {"schemaVersion":2,"mediaType":"%s","config":%s,"layers":[{"mediaType":\
                    "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip","digest":"%s","size":1617439651,\
                    "urls":["https://mcr.microsoft.com/v2/windows/servercore/blobs/%s"]},%s]}""".formatted(MANIFEST,
                    json(windowsConfig), FOREIGN_LAYER, FOREIGN_LAYER, json(windowsLayer))));
            registry.pushManifest(REPOSITORY, TAG, LIST, bytes("""
                    {"schemaVersion":2,"mediaType":"%s","manifests":[\
                    {"mediaType":"%s","digest":"%s","size":%d,"platform":{"architecture":"amd64","os":"linux"}},\
                    {"mediaType":"%s","digest":"%s","size":%d,"platform":{"architecture":"amd64","os":"windows",\
                    "os.version":"10.0.20348.2340"}}]}""".formatted(LIST, MANIFEST, linux.digest(), linux.size(),
                    MANIFEST, windows.digest(), windows.size())));
        }

        private static final String MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
        private static final String LIST = "application/vnd.docker.distribution.manifest.list.v2+json";

        private static String json(Descriptor descriptor) {
            return "{\"mediaType\":\"%s\",\"digest\":\"%s\",\"size\":%d}".formatted(descriptor.mediaType(),
                    descriptor.digest(), descriptor.size());
        }

        private static byte[] bytes(String text) {
            return text.getBytes(StandardCharsets.UTF_8);
        }
    }
}

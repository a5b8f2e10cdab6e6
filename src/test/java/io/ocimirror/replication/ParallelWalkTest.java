package io.ocimirror.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ocimirror.config.ConfigurationOwner;
import io.ocimirror.config.Mirror;
import io.ocimirror.config.MirrorConfiguration;
import io.ocimirror.config.MirrorConfigurationParser;
import io.ocimirror.reference.ImageReference;
import io.ocimirror.registry.RegistryAccess;
import io.ocimirror.registry.RegistryAccessException.Failure;
import io.ocimirror.registry.RegistryAccessException;
import io.ocimirror.rewrite.ReplicationRequest;
import io.ocimirror.settings.WebhookSettings;
import io.ocimirror.testing.Await;
import io.ocimirror.testing.Mirrors;
import io.ocimirror.testing.registry.DistributionRegistry;
import io.ocimirror.testing.registry.PushedArtifact;
import io.ocimirror.testing.registry.TestContent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Parallel walks against a real upstream Docker Distribution and a proxy-mode mirror in front of it, seen through a
 * loopback proxy that counts the requests open at once and holds every blob answer back a little: the blobs of
 * multi-layer images are fetched concurrently, never more than {@code per-host-connections} at once against the
 * mirror host however many jobs run, a corrupted blob still fails (and only that blob), and layers two tags share
 * are fetched once.
 */
class ParallelWalkTest {

    private static final int LAYERS = 6;
    private static final int LAYER_BYTES = 32 * 1024;
    private static final int PER_HOST_CONNECTIONS = 3;
    private static final Duration BLOB_DELAY = Duration.ofMillis(150);
    private static final Duration LIMIT = Duration.ofSeconds(60);
    private static final List<String> AMD64 = List.of(TestContent.LINUX_AMD64);
    private static final WebhookSettings SETTINGS = TestSettings.with(Map.of(
            "oci-mirror.replication.per-host-concurrency", "4",
            "oci-mirror.replication.per-job-concurrency", "4",
            "oci-mirror.replication.per-host-connections", String.valueOf(PER_HOST_CONNECTIONS)));

    private static DistributionRegistry upstream;
    private static DistributionRegistry mirror;
    private static TestContent content;
    private static MirrorConfiguration configuration;

    private CountingProxy proxy;
    private SimpleMeterRegistry meters;
    private ReplicationQueue.Threads threads;
    private ReplicationQueue queue;

    @BeforeAll
    static void startRegistries() throws Exception {
        upstream = DistributionRegistry.upstream().start();
        mirror = DistributionRegistry.proxyOf(upstream).start();
        content = TestContent.to(upstream);
        configuration = new MirrorConfigurationParser().parse("registryMirrors: {x.test: {baseDomain: m.test}}");
    }

    @AfterAll
    static void stopRegistries() {
        for (DistributionRegistry registry : new DistributionRegistry[] {mirror, upstream}) {
            if (registry != null) {
                registry.close();
            }
        }
    }

    @BeforeEach
    void startQueue() throws Exception {
        proxy = new CountingProxy(mirror.baseUrl(), BLOB_DELAY);
        meters = new SimpleMeterRegistry();
        threads = ReplicationQueue.Threads.start(SETTINGS.replication());
        queue = new ReplicationQueue(SETTINGS, factory(), new RecordingReporter(),
                new MirrorHealth(SETTINGS, meters, System::nanoTime), meters, threads, System::nanoTime, () -> 1.0);
    }

    @AfterEach
    void stopQueue() {
        threads.stop().run();
        proxy.close();
    }

    @Test
    void fetchesTheBlobsOfManyImagesConcurrentlyAndNeverMoreThanThePerHostBoundAtOnce() throws Exception {
        List<PushedArtifact> images = new ArrayList<>();
        for (int image = 0; image < 4; image++) {
            images.add(pushImage("parallel/app-" + image, "1.0", "parallel-" + image, LAYERS));
        }

        images.forEach(image -> schedule(image.repository() + ":1.0"));
        awaitJobs(images.size());

        assertEquals(images.size(), jobs("succeeded"), "succeeded jobs");
        assertTrue(proxy.maxOpenBlobs() >= 2, "blob fetches overlapped: at most " + proxy.maxOpenBlobs() + " at once");
        assertTrue(proxy.maxOpen() <= PER_HOST_CONNECTIONS, proxy.maxOpen() + " requests open at once against "
                + "the mirror host, more than " + PER_HOST_CONNECTIONS);
        for (PushedArtifact image : images) {
            Await.until(LIMIT, () -> mirror.missingFor(image, AMD64).isEmpty(),
                    () -> "the mirror to hold " + mirror.missingFor(image, AMD64));
            for (String blob : image.blobDigests()) {
                assertEquals(1, proxy.blobRequests(blob), "GETs of " + blob);
            }
        }
    }

    @Test
    void failsTheCorruptedBlobOnlyAndFetchesItAgainOnTheNextWalk() throws Exception {
        PushedArtifact image = pushImage("parallel/corrupt", "1.0", "corrupt", LAYERS);
        String corrupted = image.images().get(0).layers().get(2).digest();
        proxy.corrupt(corrupted);
        ExecutorService fetchThreads = Executors.newFixedThreadPool(4);
        try {
            Fetches fetches = new Fetches(fetchThreads, 4, PER_HOST_CONNECTIONS,
                    new WarmedBlobs(Duration.ofHours(1), 1000, System::nanoTime));
            RegistryAccess access = factory().forMirror(proxyMirror(), ConfigurationOwner.WEBHOOK);
            ImageReference reference = ImageReference.parse(proxy.hostPort() + "/parallel/corrupt:1.0");

            RegistryAccessException error = assertThrows(RegistryAccessException.class, () -> RegistryWalk.walk(
                    access, reference, configuration.replication(), fetches.scope(proxy.hostPort())));

            assertEquals(Failure.INVALID_CONTENT, error.failure());
            assertTrue(error.getMessage().contains(corrupted), error.getMessage());
            assertTrue(proxy.maxOpenBlobs() >= 2, "blob fetches overlapped: " + proxy.maxOpenBlobs());
            for (String blob : image.blobDigests()) {
                assertEquals(1, proxy.blobRequests(blob), "GETs of " + blob + " by the failing walk");
            }

            proxy.stopCorrupting();
            RegistryWalk.Result again = RegistryWalk.walk(access, reference, configuration.replication(),
                    fetches.scope(proxy.hostPort()));

            assertEquals(1, again.blobs(), "blobs fetched again: only the one that failed");
            assertEquals(LAYERS, again.warmedBefore(), "blobs the first walk fetched");
            assertEquals(2, proxy.blobRequests(corrupted));
        } finally {
            fetchThreads.shutdownNow();
        }
    }

    @Test
    void fetchesLayersTwoTagsShareOnce() throws Exception {
        List<byte[]> shared = new ArrayList<>();
        for (int layer = 0; layer < 3; layer++) {
            shared.add(TestContent.layerBytes("shared-" + layer, LAYER_BYTES));
        }
        List<PushedArtifact> tags = new ArrayList<>();
        for (String tag : List.of("1.0", "2.0")) {
            List<byte[]> layers = new ArrayList<>(shared);
            layers.add(TestContent.layerBytes("own-" + tag, LAYER_BYTES));
            tags.add(content.pushLayeredImage("parallel/shared", tag, layers));
        }

        tags.forEach(tag -> schedule("parallel/shared:" + tag.tag()));
        awaitJobs(tags.size());

        assertEquals(tags.size(), jobs("succeeded"), "succeeded jobs");
        for (PushedArtifact tag : tags) {
            Await.until(LIMIT, () -> mirror.missingFor(tag, AMD64).isEmpty(),
                    () -> "the mirror to hold " + mirror.missingFor(tag, AMD64));
            for (String blob : tag.blobDigests()) {
                assertEquals(1, proxy.blobRequests(blob), "GETs of " + blob);
            }
        }
        assertEquals(shared.size(), counted(ReplicationMetrics.SKIPPED_BLOBS_METRIC), "skipped blobs");
        assertEquals(shared.size() * (double) LAYER_BYTES, counted(ReplicationMetrics.SKIPPED_BYTES_METRIC),
                "skipped bytes");
    }

    @Test
    void aMirrorSetToStopBlobReadsEarlyStillStoresTheBlobsItWasAskedFor() throws Exception {
        PushedArtifact image = pushImage("parallel/early", "1.0", "early", 3, 4 * 1024 * 1024);
        Mirror direct = Mirrors.of("upstream.test", mirror.hostPort()).plainHttp().stopBlobReadsEarly().build();

        RegistryWalk.Result result = RegistryWalk.walk(factory().forMirror(direct, ConfigurationOwner.WEBHOOK),
                ImageReference.parse(mirror.hostPort() + "/parallel/early:1.0"), configuration.replication());

        assertEquals(4, result.blobs(), "blobs asked for");
        assertEquals(0, result.bytes(), "blob bytes read");
        Await.until(LIMIT, () -> mirror.missingFor(image, AMD64).isEmpty(),
                () -> "the mirror to store what it was asked for: " + mirror.missingFor(image, AMD64));
    }

    private PushedArtifact pushImage(String repository, String tag, String seed, int layers) {
        return pushImage(repository, tag, seed, layers, LAYER_BYTES);
    }

    private PushedArtifact pushImage(String repository, String tag, String seed, int layers, int layerBytes) {
        List<byte[]> contents = new ArrayList<>();
        for (int layer = 0; layer < layers; layer++) {
            contents.add(TestContent.layerBytes(seed + "-" + layer, layerBytes));
        }
        return content.pushLayeredImage(repository, tag, contents);
    }

    private void schedule(String repositoryAndTag) {
        try {
            queue.schedule(new ReplicationRequest(ImageReference.parse(proxy.hostPort() + "/" + repositoryAndTag),
                    proxyMirror(), configuration, Optional.empty()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void awaitJobs(int count) {
        Await.until(LIMIT, () -> queue.depth() == 0 && jobs("succeeded") + jobs("failed") >= count,
                () -> "the jobs to end: " + queue.depth() + " outstanding");
    }

    private double jobs(String outcome) {
        return meters.find(ReplicationMetrics.JOBS_METRIC).tag("outcome", outcome).counters().stream()
                .mapToDouble(Counter::count).sum();
    }

    private double counted(String metric) {
        return meters.find(metric).tags("source_registry", "upstream.test", "mirror_host", proxy.hostPort())
                .counters().stream().mapToDouble(Counter::count).sum();
    }

    private Mirror proxyMirror() {
        return Mirrors.plainHttp("upstream.test", proxy.hostPort());
    }

    private static RegistryClients factory() {
        return TestClients.of(SETTINGS, System::nanoTime);
    }
}

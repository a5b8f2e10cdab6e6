package io.ocimirror.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ocimirror.config.ConfigurationOwner;
import io.ocimirror.config.Mirror;
import io.ocimirror.config.MirrorConfiguration;
import io.ocimirror.config.MirrorConfigurationParser;
import io.ocimirror.reference.ImageReference;
import io.ocimirror.rewrite.ReplicationRequest.ArtifactKind;
import io.ocimirror.rewrite.ReplicationRequest;
import io.ocimirror.settings.WebhookSettings;
import io.ocimirror.testing.Await;
import io.ocimirror.testing.LogCapture;
import io.ocimirror.testing.Mirrors;
import io.ocimirror.testing.registry.Descriptor;
import io.ocimirror.testing.registry.DistributionRegistry;
import io.ocimirror.testing.registry.RegistryTestClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A chart version Helm reads as a constraint (public report 28: {@code 6.5.x} for podinfo, whose repository has no
 * such tag), replicated through a Docker Distribution proxy of a Docker Distribution upstream: the tag list read
 * through the mirror resolves it to the highest matching tag, which is warmed; a range no tag satisfies ends as
 * {@code no-matching-version}, not as a failure of the mirror.
 */
class ChartVersionReplicationTest {

    private static final Duration LIMIT = Duration.ofSeconds(60);
    private static final String REPOSITORY = "stefanprodan/charts/podinfo";
    private static final String CONFIG_TYPE = "application/vnd.cncf.helm.config.v1+json";
    private static final String CHART_TYPE = "application/vnd.cncf.helm.chart.content.v1.tar+gzip";
    private static final String MANIFEST_TYPE = "application/vnd.oci.image.manifest.v1+json";
    private static final List<String> TAGS = List.of("6.5.3", "6.5.4", "6.6.0", "6.6.1-rc.1", "7.0.0_build.3");
    private static final LogCapture LOGS = LogCapture.install();

    private static DistributionRegistry upstream;
    private static DistributionRegistry mirrorRegistry;
    /** Each tag's manifest digest and blob digests, as pushed upstream. */
    private static final Map<String, List<String>> PUSHED = new LinkedHashMap<>();

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final RecordingReporter reporter = new RecordingReporter();
    private final WebhookSettings settings = TestSettings.with(Map.of());
    private ExecutorService threads;
    private ReplicationQueue queue;
    private Mirror mirror;
    private MirrorConfiguration configuration;

    @BeforeAll
    static void startRegistries() {
        upstream = DistributionRegistry.upstream().start();
        RegistryTestClient client = upstream.client();
        for (String tag : TAGS) {
            Descriptor config = client.pushBlob(REPOSITORY, CONFIG_TYPE, ("{\"name\":\"podinfo\",\"version\":\""
                    + tag.replace('_', '+') + "\",\"apiVersion\":\"v2\"}").getBytes(StandardCharsets.UTF_8));
            Descriptor chart = client.pushBlob(REPOSITORY, CHART_TYPE, ("podinfo chart " + tag)
                    .getBytes(StandardCharsets.UTF_8));
            String manifest = "{\"schemaVersion\":2,\"mediaType\":\"" + MANIFEST_TYPE + "\",\"config\":"
                    + descriptor(config) + ",\"layers\":[" + descriptor(chart) + "]}";
            Descriptor pushed = client.pushManifest(REPOSITORY, tag, MANIFEST_TYPE,
                    manifest.getBytes(StandardCharsets.UTF_8));
            PUSHED.put(tag, List.of(pushed.digest(), config.digest(), chart.digest()));
        }
        mirrorRegistry = DistributionRegistry.proxyOf(upstream).start();
    }

    private static String descriptor(Descriptor d) {
        return "{\"mediaType\":\"" + d.mediaType() + "\",\"digest\":\"" + d.digest() + "\",\"size\":" + d.size() + "}";
    }

    @AfterAll
    static void stopRegistries() {
        mirrorRegistry.close();
        upstream.close();
    }

    @BeforeEach
    void start() throws Exception {
        threads = Executors.newFixedThreadPool(2);
        mirror = Mirrors.plainHttp("ghcr.io", mirrorRegistry.hostPort());
        configuration = new MirrorConfigurationParser().parse("registryMirrors: {ghcr.io: {baseDomain: "
                + mirrorRegistry.hostPort() + ", insecure: true}}");
        queue = new ReplicationQueue(settings, TestClients.of(settings, System::nanoTime), reporter,
                new MirrorHealth(settings, meters, System::nanoTime), meters,
                new ReplicationQueue.Threads(threads, new VirtualTime(), threads::shutdownNow), System::nanoTime,
                () -> 1.0);
    }

    @AfterEach
    void stop() {
        threads.shutdownNow();
    }

    static Stream<Arguments> versions() {
        return Stream.of(
                // version as written, the tag warmed (null: none matches)
                Arguments.of("6.5.x", "6.5.4"),
                Arguments.of("6.x", "6.6.0"),
                Arguments.of("6.5.X", "6.5.4"),
                Arguments.of("7.x", "7.0.0_build.3"),
                Arguments.of("6.5.3", "6.5.3"),
                Arguments.of("8.x", null),
                Arguments.of("5.1.x", null));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("versions")
    void warmsTheTagHelmPulls(String version, String tag) throws Exception {
        ImageReference chart = ImageReference.parse(mirrorRegistry.hostPort() + "/" + REPOSITORY + ":" + version);

        queue.schedule(new ReplicationRequest(chart, mirror, configuration, ConfigurationOwner.WEBHOOK,
                Optional.empty(), ArtifactKind.HELM_CHART));
        Await.until(LIMIT, () -> queue.depth() == 0, "the job to end");

        assertEquals(0, jobs("failed"), () -> reporter.reports().toString());
        assertEquals(0, breakerGauge(), "the mirror answered as it should");
        if (tag == null) {
            assertEquals(1, jobs("no-matching-version"));
            assertEquals(List.of(), reporter.reports(), "no Event: nothing was warmed and nothing failed");
            assertTrue(LOGS.atLeast(Level.WARNING).stream().anyMatch(r -> r.contains("satisfies chart version "
                    + version + ";")), "a warning names the range");
            return;
        }
        assertEquals(1, jobs("succeeded"));
        List<String> pushed = PUSHED.get(tag);
        String resolved = tag.equals(version) ? "" : " as " + tag;
        assertEquals(List.of("replicated " + chart + resolved + " " + pushed.get(0)), reporter.reports());
        assertTrue(mirrorRegistry.hasManifestRevision(REPOSITORY, pushed.get(0)), "manifest of " + tag + " cached");
        for (String blob : pushed.subList(1, 3)) {
            assertTrue(mirrorRegistry.awaitBlob(blob, LIMIT), "blob " + blob + " of " + tag + " cached");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("versions")
    void logsNoErrorForAnyVersion(String version, String tag) throws Exception {
        ImageReference chart = ImageReference.parse(mirrorRegistry.hostPort() + "/" + REPOSITORY + ":" + version);

        queue.schedule(new ReplicationRequest(chart, mirror, configuration, ConfigurationOwner.WEBHOOK,
                Optional.empty(), ArtifactKind.HELM_CHART));
        Await.until(LIMIT, () -> queue.depth() == 0, "the job to end");

        assertEquals(List.of(), LOGS.atLeast(Level.SEVERE), "no ERROR");
    }

    private double jobs(String outcome) {
        Counter counter = meters.find(ReplicationMetrics.JOBS_METRIC).tag("outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }

    private double breakerGauge() {
        Gauge gauge = meters.find(MirrorHealth.OPEN_GAUGE).tag("mirror_host", mirror.replicationHost()).gauge();
        return gauge == null ? 0 : gauge.value();
    }
}

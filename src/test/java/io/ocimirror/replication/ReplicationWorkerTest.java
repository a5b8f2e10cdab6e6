package io.ocimirror.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ocimirror.config.Mirror;
import io.ocimirror.config.MirrorConfiguration;
import io.ocimirror.config.MirrorConfigurationParser;
import io.ocimirror.reference.ImageReference;
import io.ocimirror.rewrite.ReplicationRequest;
import io.ocimirror.settings.WebhookSettings;
import io.ocimirror.testing.Await;
import io.ocimirror.testing.Mirrors;
import io.ocimirror.testing.TestCertificates;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * How the worker classifies a failure and decides the retry, against an HTTPS server answering 404, 401 and 429:
 * none of them counts against the breaker, 404 and 401 fail the job at once, 429 waits for its Retry-After. Backoff
 * waits are skipped ({@link VirtualTime}): each test takes milliseconds.
 */
class ReplicationWorkerTest {

    private static final Duration LIMIT = Duration.ofSeconds(20);

    private final VirtualTime time = new VirtualTime();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final RecordingReporter reporter = new RecordingReporter();
    private final WebhookSettings settings = TestSettings.with(Map.of());
    private FaultyMirrors server;
    private ExecutorService threads;
    private ReplicationQueue queue;
    private Mirror mirror;
    private MirrorConfiguration configuration;

    @BeforeEach
    void start() throws Exception {
        server = new FaultyMirrors();
        threads = Executors.newFixedThreadPool(2);
        mirror = Mirrors.https("upstream.test", server.unavailableHost(), TestCertificates.CA_CERT.toAbsolutePath());
        configuration = new MirrorConfigurationParser().parse("registryMirrors: {upstream.test: {baseDomain: m.test}}");
        TestCertificates.generate();
        MirrorHealth health = new MirrorHealth(settings, meters, time::nanoTime);
        RegistryClients factory = TestClients.of(settings, time::nanoTime);
        queue = new ReplicationQueue(settings, factory, reporter, health, meters,
                new ReplicationQueue.Threads(threads, time, threads::shutdownNow), time::nanoTime, () -> 1.0);
    }

    @AfterEach
    void stop() {
        threads.shutdownNow();
        server.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"missing", "private"})
    void failsAReferenceTheMirrorDoesNotServeAtOnceAndRemembersItBriefly(String namespace) throws Exception {
        ReplicationRequest request = request(namespace + "/app:1.0");

        queue.schedule(request);
        Await.until(LIMIT, () -> queue.depth() == 0, "the job to end");

        assertEquals(1, jobs("failed"));
        assertEquals(0, count(ReplicationMetrics.RETRIES_METRIC), "no retry where a retry cannot help");
        assertEquals(1, server.unavailableRequests());
        assertEquals(0, breakerGauge(), "the mirror answered: its breaker stays closed");
        List<String> reports = reporter.reports();
        assertEquals(1, reports.size(), reports::toString);
        assertTrue(reports.get(0).startsWith("gave up"), reports::toString);

        queue.schedule(request);
        assertEquals(1, jobs("recently-failed"), "a new Pod of the same reference does not start it again");
        assertEquals(1, server.unavailableRequests());

        time.advance(settings.replication().failedWindow());
        queue.schedule(request);
        Await.until(LIMIT, () -> queue.depth() == 0, "the job to end");
        assertEquals(2, server.unavailableRequests(), "tried again after the failed window");
    }

    @Test
    void waitsForRetryAfterOnA429AndLeavesTheBreakerClosed() throws Exception {
        queue.schedule(request("throttled/app:1.0"));

        for (int retry = 1; retry < settings.replication().attempts(); retry++) {
            assertTrue(time.awaitScheduled(LIMIT), "retry " + retry + " scheduled");
            assertEquals(Duration.ofSeconds(FaultyMirrors.RETRY_AFTER_SECONDS), time.nextDelay());
            assertEquals(0, breakerGauge(), "429 means slower, not down");
            time.runNext();
        }
        Await.until(LIMIT, () -> queue.depth() == 0, "the job to end");

        assertEquals(settings.replication().attempts(), server.unavailableRequests(), "one request per attempt");
        assertEquals(settings.replication().attempts() - 1, count(ReplicationMetrics.RETRIES_METRIC));
        assertEquals(1, jobs("failed"));
        assertEquals(0, breakerGauge());
    }

    private ReplicationRequest request(String repositoryAndTag) throws Exception {
        return new ReplicationRequest(ImageReference.parse(server.unavailableHost() + "/" + repositoryAndTag), mirror,
                configuration, Optional.empty());
    }

    private double jobs(String outcome) {
        Counter counter = meters.find(ReplicationMetrics.JOBS_METRIC).tag("outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }

    private double count(String name) {
        Counter counter = meters.find(name).counter();
        return counter == null ? 0 : counter.count();
    }

    private double breakerGauge() {
        Gauge gauge = meters.find(MirrorHealth.OPEN_GAUGE).tag("mirror_host", mirror.replicationHost()).gauge();
        return gauge == null ? 0 : gauge.value();
    }
}

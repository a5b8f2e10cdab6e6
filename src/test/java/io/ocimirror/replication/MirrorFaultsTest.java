package io.ocimirror.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
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
import io.ocimirror.testing.Configurations;
import io.ocimirror.testing.Mirrors;
import io.ocimirror.testing.TestCertificates;
import io.ocimirror.testing.registry.DistributionRegistry;
import io.ocimirror.testing.registry.PushedArtifact;
import io.ocimirror.testing.registry.TestContent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Replication against HTTPS mirrors that work and that fail: Docker Distribution as an HTTPS pull-through cache with a
 * test CA, a refused port, a listener that never answers, a plain-HTTP listener (the handshake fails) and a server
 * answering 503. Every call is tried once and bounded by its timeout; the breaker opens within the promised time.
 * Backoff waits are skipped ({@link VirtualTime}) and counted, so only the calls themselves take real time.
 */
class MirrorFaultsTest {

    /** Shorter than the default read timeout, so the never-answering listener costs seconds, not half a minute. */
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(2);
    /** What a call may take beyond its timeout on a loaded machine. */
    private static final Duration MARGIN = Duration.ofSeconds(2);
    /** The promise: a mirror that fails fast opens its breaker within 15 s of the first job. */
    private static final Duration FAST_FAILURE_BREAKER_LIMIT = Duration.ofSeconds(15);
    private static final Duration REPLICATION_LIMIT = Duration.ofSeconds(30);

    private static DistributionRegistry upstream;
    private static DistributionRegistry httpsMirror;
    private static PushedArtifact image;
    private static FaultyMirrors faults;
    private static Path caFile;

    @BeforeAll
    static void startRegistries() {
        TestCertificates.generate();
        caFile = TestCertificates.CA_CERT.toAbsolutePath();
        upstream = DistributionRegistry.upstream().start();
        image = TestContent.to(upstream).pushDockerImage("library/app", "1.0", TestContent.LINUX_AMD64);
        httpsMirror = DistributionRegistry.httpsProxyOf(upstream, new DistributionRegistry.ServingTls(
                TestCertificates.SERVER_CERT, TestCertificates.SERVER_KEY, FaultyMirrors.clientContext())).start();
        faults = new FaultyMirrors();
    }

    @AfterAll
    static void stopRegistries() {
        if (faults != null) {
            faults.close();
        }
        for (DistributionRegistry registry : new DistributionRegistry[] {httpsMirror, upstream}) {
            if (registry != null) {
                registry.close();
            }
        }
    }

    /** How a mirror host fails. */
    enum Fault {
        CONNECTION_REFUSED, NEVER_ANSWERS, SILENT_AFTER_HANDSHAKE, PLAIN_HTTP_LISTENER, ANSWERS_503;

        String host() {
            return switch (this) {
                case CONNECTION_REFUSED -> faults.refusedHost();
                case NEVER_ANSWERS -> faults.silentHost();
                case PLAIN_HTTP_LISTENER -> upstream.hostPort();
                case ANSWERS_503, SILENT_AFTER_HANDSHAKE -> faults.unavailableHost();
            };
        }

        String repository() {
            return this == SILENT_AFTER_HANDSHAKE ? "hang/app" : "library/app";
        }

        /**
         * The longest one call may take: the JDK client bounds the TCP connection and the TLS handshake by the
         * connect timeout and the wait for the answer by the read timeout (here the shorter of the two); failing
         * calls take about nothing.
         */
        Duration callLimit() {
            return (this == NEVER_ANSWERS || this == SILENT_AFTER_HANDSHAKE ? READ_TIMEOUT : Duration.ZERO)
                    .plus(MARGIN);
        }
    }

    @Test
    void warmsThroughAnHttpsMirrorThatTrustsItsCaFile() throws Exception {
        RegistryAccess access = factory(System::nanoTime).forMirror(httpsMirror(Optional.of(caFile)), ConfigurationOwner.WEBHOOK);

        RegistryWalk.Result result = RegistryWalk.walk(access, onMirror(httpsMirror.hostPort()),
                parse("registryMirrors: {x.test: {baseDomain: m.test}}").replication());

        assertEquals(image.manifest().digest(), result.manifest());
        Await.until(REPLICATION_LIMIT, () -> httpsMirror.missingFor(image, List.of(TestContent.LINUX_AMD64)).isEmpty(),
                () -> "the HTTPS mirror to hold " + httpsMirror.missingFor(image, List.of(TestContent.LINUX_AMD64)));
    }

    @Test
    void refusesAnHttpsMirrorWhoseCertificateNoTrustedCaSigned() throws Exception {
        RegistryAccess access = factory(System::nanoTime).forMirror(httpsMirror(Optional.empty()), ConfigurationOwner.WEBHOOK);

        RegistryAccessException error = assertThrows(RegistryAccessException.class,
                () -> access.manifest("library/app", "1.0"));

        assertEquals(Failure.UNREACHABLE, error.failure());
        assertTrue(error.getMessage().contains("TLS failed"), error.getMessage());
    }

    @Test
    void insecureMeansPlainHttpAndNeverAnUnverifiedHttpsConnection() throws Exception {
        Mirror insecure = Mirrors.plainHttp("upstream.test", httpsMirror.hostPort());

        RegistryAccessException error = assertThrows(RegistryAccessException.class,
                () -> factory(System::nanoTime).forMirror(insecure, ConfigurationOwner.WEBHOOK).manifest("library/app", "1.0"));

        assertEquals("manifest " + httpsMirror.hostPort() + "/library/app:1.0: HTTP 400", error.getMessage(),
                "the HTTPS port answers a plain-HTTP request 400; no fallback to HTTPS without verification");
    }

    @Test
    void readsANewCaFileWhenTheFileChanges() throws Exception {
        Path copy = java.nio.file.Files.createTempFile("oci-mirror-ca", ".crt");
        try {
            java.nio.file.Files.writeString(copy, "not a certificate\n");
            RegistryClients factory = factory(System::nanoTime);
            RegistryAccessException unreadable = assertThrows(RegistryAccessException.class,
                    () -> factory.forMirror(httpsMirror(Optional.of(copy)), ConfigurationOwner.WEBHOOK));
            assertEquals(Failure.UNSUPPORTED, unreadable.failure());

            java.nio.file.Files.copy(caFile, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            java.nio.file.Files.setLastModifiedTime(copy, java.nio.file.attribute.FileTime.fromMillis(
                    System.currentTimeMillis() + 5_000));

            assertEquals(image.manifest().digest(), factory.forMirror(httpsMirror(Optional.of(copy)), ConfigurationOwner.WEBHOOK)
                    .manifest("library/app", "1.0").digest());
        } finally {
            java.nio.file.Files.deleteIfExists(copy);
        }
    }

    @ParameterizedTest
    @EnumSource(Fault.class)
    void triesEachCallOnceAndWithinItsTimeout(Fault fault) throws Exception {
        RegistryAccess access = factory(System::nanoTime).forMirror(faultyMirror(fault), ConfigurationOwner.WEBHOOK);
        int requestsBefore = faults.unavailableRequests();

        long start = System.nanoTime();
        RegistryAccessException error = assertThrows(RegistryAccessException.class,
                () -> access.manifest(fault.repository(), "1.0"));
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertTrue(error.failure().mirrorFailure(), fault + " counts against the mirror: " + error.getMessage());
        assertTrue(took.compareTo(fault.callLimit()) <= 0, fault + " took " + took.toMillis() + " ms: " + error.getMessage());
        if (fault == Fault.ANSWERS_503 || fault == Fault.SILENT_AFTER_HANDSHAKE) {
            assertEquals(requestsBefore + 1, faults.unavailableRequests(), "one request, no retry below the worker");
        }
    }

    @ParameterizedTest
    @EnumSource(Fault.class)
    void opensTheBreakerWithinTheLimitOfTheFirstJob(Fault fault) throws Exception {
        VirtualTime time = new VirtualTime();
        WebhookSettings settings = settings();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        MirrorHealth health = new MirrorHealth(settings, meters, time::nanoTime);
        Mirror mirror = faultyMirror(fault);
        MirrorConfiguration configuration = parse("registryMirrors: {x.test: {baseDomain: m.test}}");
        health.configured(ConfigurationOwner.WEBHOOK, Optional.of(configuration));
        ExecutorService workers = Executors.newFixedThreadPool(2);
        try {
            ReplicationQueue queue = new ReplicationQueue(settings, factory(time::nanoTime), new RecordingReporter(), health,
                    meters, new ReplicationQueue.Threads(workers, time, workers::shutdownNow), time::nanoTime,
                    () -> 1.0);
            long start = time.nanoTime();
            queue.schedule(new ReplicationRequest(ImageReference.parse(mirror.replicationHost() + "/"
                    + fault.repository() + ":1.0"), mirror, configuration, Optional.empty()));

            Duration limit = fault.callLimit().minus(MARGIN).multipliedBy(3).plus(FAST_FAILURE_BREAKER_LIMIT);
            // The worker records a failure before it schedules the retry: once a retry waits, the breaker is decided.
            for (int attempt = 1; attempt < settings.replication().attempts(); attempt++) {
                assertTrue(time.awaitScheduled(fault.callLimit().plus(MARGIN)), fault + ": no retry of attempt "
                        + attempt);
                if (breakerOpen(meters, mirror)) {
                    break;
                }
                time.runNext();
            }
            Duration opened = Duration.ofNanos(time.nanoTime() - start);

            assertTrue(breakerOpen(meters, mirror), fault + ": the breaker did not open");
            assertTrue(opened.compareTo(limit) <= 0, fault + ": opened after " + opened.toMillis() + " ms");
            time.runNext();
            // The job leaves the queue before its outcome is counted: wait for the count, then check it is one.
            Await.until(REPLICATION_LIMIT, () -> queue.depth() == 0 && mirrorUnavailableJobs(meters) > 0,
                    "the retry to end at the open breaker");
            assertEquals(1, mirrorUnavailableJobs(meters));
        } finally {
            workers.shutdownNow();
        }
    }

    private static double mirrorUnavailableJobs(SimpleMeterRegistry meters) {
        Counter jobs = meters.find(ReplicationMetrics.JOBS_METRIC).tag("outcome", "mirror-unavailable").counter();
        return jobs == null ? 0 : jobs.count();
    }

    @Test
    void warmsAHealthyMirrorWhileTwoDeadMirrorsHoldTheirLanes() throws Exception {
        Duration deadCallTimeout = Duration.ofSeconds(6);
        WebhookSettings settings = TestSettings.with(Map.of(
                "oci-mirror.replication.timeout", deadCallTimeout.toSeconds() + "s"));
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        MirrorConfiguration configuration = parse("registryMirrors: {x.test: {baseDomain: m.test}}");
        ReplicationQueue.Threads threads = ReplicationQueue.Threads.start(settings.replication());
        try (FaultyMirrors second = new FaultyMirrors()) {
            ReplicationQueue queue = new ReplicationQueue(settings,
                    TestClients.of(settings.replication().connectTimeout(), deadCallTimeout, System::nanoTime),
                    new RecordingReporter(), new MirrorHealth(settings, meters, System::nanoTime), meters, threads,
                    System::nanoTime, () -> 1.0);
            for (String dead : List.of(faults.silentHost(), second.silentHost())) {
                Mirror mirror = Mirrors.https("dead.test", dead, caFile);
                for (String name : List.of("one", "two", "three")) {
                    queue.schedule(new ReplicationRequest(ImageReference.parse(dead + "/library/" + name + ":1"), mirror,
                            configuration, Optional.empty()));
                }
            }
            Mirror healthy = httpsMirror(Optional.of(caFile));
            queue.schedule(new ReplicationRequest(onMirror(healthy.replicationHost()), healthy, configuration,
                    Optional.empty()));

            Await.until(deadCallTimeout.minus(Duration.ofSeconds(1)), () -> meters.find(ReplicationMetrics.JOBS_METRIC)
                    .tags("mirror_host", healthy.replicationHost(), "outcome", "succeeded").counter() != null,
                    "the healthy mirror's job to succeed before any dead mirror's call times out");
            assertTrue(queue.depth() >= 4, "the dead mirrors' jobs still hold their lanes: " + queue.depth());
        } finally {
            threads.stop().run();
        }
    }

    private static boolean breakerOpen(SimpleMeterRegistry meters, Mirror mirror) {
        Gauge gauge = meters.find(MirrorHealth.OPEN_GAUGE).tag("mirror_host", mirror.replicationHost()).gauge();
        return gauge != null && gauge.value() == 1;
    }

    /** Defaults, but the shorter read timeout. */
    private static WebhookSettings settings() {
        return TestSettings.with(Map.of("oci-mirror.replication.timeout", READ_TIMEOUT.toMillis() + "ms"));
    }

    private static RegistryClients factory(java.util.function.LongSupplier clock) {
        WebhookSettings settings = settings();
        return TestClients.of(settings, clock);
    }

    private static Mirror httpsMirror(Optional<Path> ca) {
        return Mirrors.of("upstream.test", httpsMirror.hostPort()).caFile(ca).build();
    }

    private static Mirror faultyMirror(Fault fault) {
        return Mirrors.https("upstream.test", fault.host(), caFile);
    }

    private static ImageReference onMirror(String host) throws Exception {
        return ImageReference.parse(host + "/library/app:1.0");
    }

    private static MirrorConfiguration parse(String yaml) throws Exception {
        return new MirrorConfigurationParser().parse(yaml);
    }
}

package io.ocimirror.replication;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ocimirror.config.Mirror;
import io.ocimirror.config.MirrorConfiguration;
import io.ocimirror.config.MirrorConfigurationParser;
import io.ocimirror.reference.ImageReference;
import io.ocimirror.rewrite.ReplicationRequest;
import io.ocimirror.settings.WebhookSettings;
import io.ocimirror.testing.Mirrors;
import io.ocimirror.testing.TestCertificates;
import io.ocimirror.testing.registry.DistributionRegistry;
import io.ocimirror.testing.registry.TestContent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Prints, with the default settings and in real time, how long after the first job a mirror host's circuit breaker
 * opens for each way a mirror fails, and how long a healthy HTTPS mirror's warm-up takes alone and while two
 * never-answering mirrors hold their lanes (the ratio is the figure). Run by {@code bench/breaker.sh}.
 */
public final class BreakerFigures {

    private static final Duration GIVE_UP_AFTER = Duration.ofSeconds(120);
    private static final long POLL_MILLIS = 10;

    private BreakerFigures() {
    }

    public static void main(String[] args) throws Exception {
        TestCertificates.generate();
        Path caFile = TestCertificates.CA_CERT.toAbsolutePath();
        WebhookSettings settings = TestSettings.with(Map.of());
        System.out.printf("defaults: connect-timeout %s, timeout %s, attempts %d, initial-backoff %s, "
                + "failure-threshold %d, per-host-concurrency %d%n", settings.replication().connectTimeout(),
                settings.replication().timeout(), settings.replication().attempts(),
                settings.replication().initialBackoff(), settings.circuitBreaker().failureThreshold(),
                settings.replication().perHostConcurrency());
        try (DistributionRegistry upstream = DistributionRegistry.upstream().start();
                FaultyMirrors faults = new FaultyMirrors();
                FaultyMirrors second = new FaultyMirrors()) {
            TestContent content = TestContent.to(upstream);
            content.pushDockerImage("library/first", "1.0", TestContent.LINUX_AMD64);
            content.pushDockerImage("library/alone", "1.0", TestContent.LINUX_AMD64);
            content.pushDockerImage("library/beside-dead", "1.0", TestContent.LINUX_AMD64);
            try (DistributionRegistry healthy = DistributionRegistry.httpsProxyOf(upstream,
                    new DistributionRegistry.ServingTls(TestCertificates.SERVER_CERT, TestCertificates.SERVER_KEY,
                            FaultyMirrors.clientContext())).start()) {
                for (String[] fault : List.of(
                        new String[] {"connection refused", faults.refusedHost()},
                        new String[] {"plain-HTTP listener (TLS handshake fails)", upstream.hostPort()},
                        new String[] {"HTTPS answering 503", faults.unavailableHost()},
                        new String[] {"accepts connections, never completes the TLS handshake", faults.silentHost()},
                        new String[] {"never answers after the TLS handshake", faults.unavailableHost(), "hang/app"})) {
                    Duration opened = breakerOpening(settings, mirror(fault[1], caFile),
                            fault.length > 2 ? fault[2] : "library/app");
                    System.out.printf("breaker open after %6.1f s: %s%n", opened.toMillis() / 1000.0, fault[0]);
                }
                Mirror mirror = mirror(healthy.hostPort(), caFile);
                // The first warm-up of a JVM pays for class loading and the TLS set-up; it is not measured.
                warmUp(settings, mirror, "library/first", List.of());
                Duration alone = warmUp(settings, mirror, "library/alone", List.of());
                Duration besideDead = warmUp(settings, mirror, "library/beside-dead",
                        List.of(mirror(faults.silentHost(), caFile), mirror(second.silentHost(), caFile)));
                System.out.printf("healthy HTTPS mirror warm-up: %.0f ms alone, %.0f ms beside two dead mirrors "
                        + "(ratio %.2f)%n", alone.toNanos() / 1e6, besideDead.toNanos() / 1e6,
                        (double) besideDead.toNanos() / alone.toNanos());
            }
        }
        System.exit(0);
    }

    private static Duration breakerOpening(WebhookSettings settings, Mirror mirror, String repository)
            throws Exception {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        ReplicationQueue.Threads threads = ReplicationQueue.Threads.start(settings.replication());
        try {
            ReplicationQueue queue = queue(settings, meters, threads);
            long start = System.nanoTime();
            queue.schedule(request(mirror, repository));
            while (!open(meters, mirror) && System.nanoTime() - start < GIVE_UP_AFTER.toNanos()) {
                Thread.sleep(POLL_MILLIS);
            }
            return Duration.ofNanos(System.nanoTime() - start);
        } finally {
            threads.stop().run();
        }
    }

    private static Duration warmUp(WebhookSettings settings, Mirror healthy, String repository, List<Mirror> dead)
            throws Exception {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        ReplicationQueue.Threads threads = ReplicationQueue.Threads.start(settings.replication());
        try {
            ReplicationQueue queue = queue(settings, meters, threads);
            for (Mirror mirror : dead) {
                for (String name : List.of("library/one", "library/two", "library/three")) {
                    queue.schedule(request(mirror, name));
                }
            }
            long start = System.nanoTime();
            queue.schedule(request(healthy, repository));
            while (meters.find(ReplicationMetrics.JOBS_METRIC).tags("mirror_host", healthy.replicationHost(),
                    "outcome", "succeeded").counter() == null && System.nanoTime() - start < GIVE_UP_AFTER.toNanos()) {
                Thread.sleep(1);
            }
            return Duration.ofNanos(System.nanoTime() - start);
        } finally {
            threads.stop().run();
        }
    }

    private static ReplicationQueue queue(WebhookSettings settings, SimpleMeterRegistry meters,
            ReplicationQueue.Threads threads) {
        RegistryClients factory = TestClients.of(settings, System::nanoTime);
        return new ReplicationQueue(settings, factory, new RecordingReporter(), new MirrorHealth(settings, meters, System::nanoTime),
                meters, threads, System::nanoTime, Math::random);
    }

    private static boolean open(SimpleMeterRegistry meters, Mirror mirror) {
        Gauge gauge = meters.find(MirrorHealth.OPEN_GAUGE).tag("mirror_host", mirror.replicationHost()).gauge();
        return gauge != null && gauge.value() == 1;
    }

    private static Mirror mirror(String host, Path caFile) {
        return Mirrors.https("upstream.test", host, caFile);
    }

    private static ReplicationRequest request(Mirror mirror, String repository) throws Exception {
        MirrorConfiguration configuration =
                new MirrorConfigurationParser().parse("registryMirrors: {upstream.test: {baseDomain: m.test}}");
        return new ReplicationRequest(ImageReference.parse(mirror.replicationHost() + "/" + repository + ":1.0"),
                mirror, configuration, Optional.empty());
    }
}

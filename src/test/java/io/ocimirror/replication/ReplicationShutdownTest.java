package io.ocimirror.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ocimirror.config.Mirror;
import io.ocimirror.config.MirrorConfiguration;
import io.ocimirror.config.MirrorConfigurationParser;
import io.ocimirror.reference.ImageReference;
import io.ocimirror.rewrite.ReplicationRequest;
import io.ocimirror.settings.WebhookSettings;
import io.ocimirror.testing.Await;
import io.ocimirror.testing.LogCapture;
import io.ocimirror.testing.Mirrors;
import io.ocimirror.testing.TestCertificates;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A shutdown with jobs running, waiting in a lane and between retries ends them all quietly. */
class ReplicationShutdownTest {

    @Test
    void endsPendingJobsWithoutAStackTrace() throws Exception {
        TestCertificates.generate();
        LogCapture logs = LogCapture.install();
        WebhookSettings settings = TestSettings.with(Map.of(
                "oci-mirror.replication.drain-timeout", "200ms",
                "oci-mirror.replication.timeout", "5s"));
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        MirrorConfiguration configuration =
                new MirrorConfigurationParser().parse("registryMirrors: {upstream.test: {baseDomain: m.test}}");
        ReplicationQueue.Threads threads = ReplicationQueue.Threads.start(settings.replication());
        try (FaultyMirrors faults = new FaultyMirrors()) {
            ReplicationQueue queue = new ReplicationQueue(settings, TestClients.of(settings, System::nanoTime),
                    new RecordingReporter(), new MirrorHealth(settings, meters, System::nanoTime), meters,
                    threads, System::nanoTime, () -> 1.0);
            for (String host : List.of(faults.silentHost(), faults.refusedHost())) {
                Mirror mirror = Mirrors.https("upstream.test", host, TestCertificates.CA_CERT.toAbsolutePath());
                for (String name : List.of("one", "two", "three")) {
                    queue.schedule(new ReplicationRequest(ImageReference.parse(host + "/library/" + name + ":1"),
                            mirror, configuration, Optional.empty()));
                }
            }
            Await.until(Duration.ofSeconds(10), () -> jobs(meters, "dropped") + queue.depth() == 6
                    && meters.find(ReplicationMetrics.RETRIES_METRIC).counter() != null, "a retry waiting");

            queue.drain(null);
            Await.until(Duration.ofSeconds(10), () -> queue.depth() == 0, () -> "every job to end: " + queue.depth()
                    + " left, " + meters.find(ReplicationMetrics.JOBS_METRIC).counters().stream()
                    .map(c -> c.getId().getTag("outcome") + "=" + c.count()).toList());

            assertEquals(6, meters.find(ReplicationMetrics.JOBS_METRIC).counters().stream().mapToDouble(Counter::count)
                    .sum(), "every job ended and was counted");
            assertTrue(jobs(meters, "dropped") >= 3, "the jobs waiting for a retry or a thread end as dropped");
            assertEquals(List.of(), logs.containing("\tat "), "no stack trace");
            assertTrue(logs.containing("Exception").stream().allMatch(r -> !r.contains("Rejected")),
                    logs.containing("Exception").toString());
        }
    }

    private static double jobs(SimpleMeterRegistry meters, String outcome) {
        return meters.find(ReplicationMetrics.JOBS_METRIC).tag("outcome", outcome).counters().stream()
                .mapToDouble(Counter::count).sum();
    }
}

package io.ocimirror.replication;

import com.sun.management.OperatingSystemMXBean;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ocimirror.config.Mirror;
import io.ocimirror.config.MirrorConfiguration;
import io.ocimirror.config.MirrorConfigurationParser;
import io.ocimirror.reference.ImageReference;
import io.ocimirror.rewrite.ReplicationRequest;
import io.ocimirror.settings.WebhookSettings;
import io.ocimirror.testing.Mirrors;
import io.ocimirror.testing.registry.DistributionRegistry;
import io.ocimirror.testing.registry.PushedArtifact;
import io.ocimirror.testing.registry.TestContent;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * Prints how long the replication code, with its default settings, takes to warm N images of M layers through an
 * empty proxy-mode Docker Distribution mirror, against {@code curl} fetching the same manifests and blobs through
 * another empty mirror of the same upstream with as many requests at once as the webhook may open against one mirror
 * host ({@code per-host-connections}). All on 127.0.0.1. Run by {@code bench/replication.sh}; arguments: images,
 * layers per image, layer sizes in MiB (comma-separated, used in turn); {@code -Doci-mirror.replication.*} system
 * properties change the settings.
 */
public final class WarmUpFigures {

    private static final Duration GIVE_UP_AFTER = Duration.ofMinutes(10);
    private static final Duration STORED_WITHIN = Duration.ofSeconds(60);
    private static final long POLL_MILLIS = 5;
    private static final double MIB = 1024.0 * 1024.0;

    private WarmUpFigures() {
    }

    public static void main(String[] args) throws Exception {
        int images = args.length > 0 ? Integer.parseInt(args[0]) : 4;
        int layers = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        int[] sizesMib = java.util.Arrays.stream((args.length > 2 ? args[2] : "2,5,10,20").split(","))
                .mapToInt(Integer::parseInt).toArray();
        Map<String, String> overrides = new HashMap<>();
        System.getProperties().stringPropertyNames().stream().filter(name -> name.startsWith("oci-mirror."))
                .forEach(name -> overrides.put(name, System.getProperty(name)));
        WebhookSettings settings = TestSettings.with(overrides);
        int connections = settings.replication().perHostConnections();
        System.out.printf("%d images of %d layers (%s MiB in turn); settings: workers %d, per-host-concurrency %d, "
                + "per-job-concurrency %d, per-host-connections %d%n", images, layers, args.length > 2 ? args[2]
                : "2,5,10,20", settings.replication().workers(), settings.replication().perHostConcurrency(),
                settings.replication().perJobConcurrency(), connections);
        try (DistributionRegistry upstream = DistributionRegistry.upstream().start()) {
            TestContent content = TestContent.to(upstream);
            List<PushedArtifact> pushed = new ArrayList<>();
            long totalBytes = 0;
            for (int image = 0; image < images; image++) {
                List<byte[]> contents = new ArrayList<>();
                for (int layer = 0; layer < layers; layer++) {
                    byte[] bytes = TestContent.layerBytes("bench-" + image + "-" + layer,
                            sizesMib[(image + layer) % sizesMib.length] * (int) MIB);
                    contents.add(bytes);
                    totalBytes += bytes.length;
                }
                pushed.add(content.pushLayeredImage("bench/app-" + image, "1.0", contents));
            }
            System.out.printf("pushed %.0f MiB of layers to the upstream%n", totalBytes / MIB);

            // The webhook is a long-running process: its first warm-up (class loading, JIT) is not measured.
            try (DistributionRegistry warmUpMirror = DistributionRegistry.proxyOf(upstream).start()) {
                webhook(settings, warmUpMirror, pushed);
            }
            Figures webhook;
            try (DistributionRegistry mirror = DistributionRegistry.proxyOf(upstream).start()) {
                webhook = webhook(settings, mirror, pushed);
                awaitStored(mirror, pushed);
            }
            Duration curl;
            try (DistributionRegistry mirror = DistributionRegistry.proxyOf(upstream).start()) {
                curl = curl(mirror, pushed, connections);
            }
            System.out.printf("webhook: first image warm after %d ms, last after %d ms; %.0f MiB moved; "
                    + "%.1f ms CPU per warmed MiB%n", webhook.first().toMillis(), webhook.last().toMillis(),
                    webhook.bytes() / MIB, webhook.cpu().toNanos() / 1e6 / (webhook.bytes() / MIB));
            System.out.printf("curl (%d at once): all fetched after %d ms%n", connections, curl.toMillis());
            System.out.printf("ratio webhook / curl: %.2f%n", (double) webhook.last().toNanos() / curl.toNanos());
        }
        System.exit(0);
    }

    /** Distribution in proxy mode commits a blob to its storage a moment after it served it. */
    private static void awaitStored(DistributionRegistry mirror, List<PushedArtifact> images)
            throws InterruptedException {
        long deadline = System.nanoTime() + STORED_WITHIN.toNanos();
        for (PushedArtifact image : images) {
            while (!mirror.missingFor(image, List.of(TestContent.LINUX_AMD64)).isEmpty()) {
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("the mirror lacks "
                            + mirror.missingFor(image, List.of(TestContent.LINUX_AMD64)) + " " + STORED_WITHIN
                            + " after the warm-up");
                }
                Thread.sleep(POLL_MILLIS);
            }
        }
    }

    private record Figures(Duration first, Duration last, long bytes, Duration cpu) {
    }

    private static Figures webhook(WebhookSettings settings, DistributionRegistry mirrorRegistry,
            List<PushedArtifact> images) throws Exception {
        MirrorConfiguration configuration = new MirrorConfigurationParser()
                .parse("registryMirrors: {x.test: {baseDomain: m.test}}");
        Mirror mirror = Mirrors.plainHttp("upstream.test", mirrorRegistry.hostPort());
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        ConcurrentLinkedQueue<Long> warmedAt = new ConcurrentLinkedQueue<>();
        ReplicationReporter reporter = new ReplicationReporter() {
            @Override
            public void gaveUp(ReplicationRequest request, String reason) {
                throw new IllegalStateException("warm-up of " + request.reference() + " failed: " + reason);
            }

            @Override
            public void replicated(ReplicationRequest request, Optional<String> resolvedTag, String manifestDigest) {
                warmedAt.add(System.nanoTime());
            }
        };
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        ReplicationQueue.Threads threads = ReplicationQueue.Threads.start(settings.replication());
        try {
            ReplicationQueue queue = new ReplicationQueue(settings, TestClients.of(settings, System::nanoTime),
                    reporter, new MirrorHealth(settings, meters, System::nanoTime), meters, threads,
                    System::nanoTime, () -> 1.0);
            long cpuStart = os.getProcessCpuTime();
            long start = System.nanoTime();
            for (PushedArtifact image : images) {
                queue.schedule(new ReplicationRequest(ImageReference.parse(mirrorRegistry.hostPort() + "/"
                        + image.repository() + ":" + image.tag()), mirror, configuration, Optional.empty()));
            }
            long deadline = start + GIVE_UP_AFTER.toNanos();
            while (queue.depth() > 0) {
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("warm-up did not end within " + GIVE_UP_AFTER);
                }
                Thread.sleep(POLL_MILLIS);
            }
            long cpu = os.getProcessCpuTime() - cpuStart;
            if (warmedAt.size() != images.size()) {
                throw new IllegalStateException(warmedAt.size() + " of " + images.size() + " images warmed");
            }
            long first = warmedAt.stream().mapToLong(Long::longValue).min().orElseThrow() - start;
            long last = warmedAt.stream().mapToLong(Long::longValue).max().orElseThrow() - start;
            double bytes = meters.find(ReplicationMetrics.BYTES_METRIC).counters().stream()
                    .mapToDouble(Counter::count).sum();
            return new Figures(Duration.ofNanos(first), Duration.ofNanos(last), (long) bytes, Duration.ofNanos(cpu));
        } finally {
            threads.stop().run();
        }
    }

    /** Every manifest, then every blob, each a {@code curl} process, at most {@code connections} at once. */
    private static Duration curl(DistributionRegistry mirror, List<PushedArtifact> images, int connections)
            throws IOException, InterruptedException {
        List<String> manifests = new ArrayList<>();
        List<String> blobs = new ArrayList<>();
        for (PushedArtifact image : images) {
            manifests.add(mirror.baseUrl() + "/v2/" + image.repository() + "/manifests/" + image.tag());
            image.blobDigests().forEach(blob -> blobs.add(mirror.baseUrl() + "/v2/" + image.repository() + "/blobs/"
                    + blob));
        }
        long start = System.nanoTime();
        xargsCurl(manifests, connections, "Accept: application/vnd.oci.image.manifest.v1+json");
        xargsCurl(blobs, connections, "Accept: */*");
        return Duration.ofNanos(System.nanoTime() - start);
    }

    private static void xargsCurl(List<String> urls, int connections, String accept)
            throws IOException, InterruptedException {
        Process process = new ProcessBuilder("xargs", "-P", String.valueOf(connections), "-n", "1",
                "curl", "-fsS", "-o", "/dev/null", "-H", accept)
                .redirectError(ProcessBuilder.Redirect.INHERIT).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        process.getOutputStream().write(String.join("\n", urls).concat("\n").getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        if (!process.waitFor(GIVE_UP_AFTER.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("curl did not end within " + GIVE_UP_AFTER);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("curl failed: exit " + process.exitValue());
        }
    }
}

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
import io.ocimirror.testing.registry.Descriptor;
import io.ocimirror.testing.registry.DistributionRegistry;
import io.ocimirror.testing.registry.PushedArtifact;
import io.ocimirror.testing.registry.TestContent;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Stream;

/**
 * Prints how long the replication code, with its default settings, takes to warm N images of M layers through an
 * empty proxy-mode Docker Distribution mirror, and the JVM's CPU time per warmed MiB (by thread too), against
 * {@code curl} fetching the same manifests and blobs through another empty mirror of the same upstream with as many
 * requests at once as the webhook may open against one mirror host ({@code per-host-connections}), and against the
 * CPU time per MiB of {@code curl | sha256sum} doing the same through a third empty mirror ({@link CurlFetches}). All on 127.0.0.1. Run by
 * {@code bench/replication.sh}; arguments: images, layers per image, layer sizes in MiB (comma-separated, used in
 * turn); {@code -Doci-mirror.replication.*} system properties change the settings.
 */
public final class WarmUpFigures {

    private static final Duration GIVE_UP_AFTER = Duration.ofMinutes(10);
    private static final Duration STORED_WITHIN = Duration.ofSeconds(60);
    private static final long POLL_MILLIS = 5;
    private static final double MIB = 1024.0 * 1024.0;
    /**
     * Warmed through throwaway mirrors before the measured round: after one round of 148 MiB the JIT still compiles
     * the client's hot paths in the measured round; after about 400 MiB its compilations are mostly of the harness.
     */
    private static final double WARM_UP_MIB = 400;
    private static final int MAX_WARM_UP_ROUNDS = 10;

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

            // The webhook is a long-running process: its warm-ups (class loading, the JIT) are not measured.
            int warmUpRounds = Integer.getInteger("bench.warm-up-rounds",
                    (int) Math.min(MAX_WARM_UP_ROUNDS, Math.ceil(WARM_UP_MIB / (totalBytes / MIB))));
            for (int round = 1; round <= warmUpRounds; round++) {
                try (DistributionRegistry warmUpMirror = DistributionRegistry.proxyOf(upstream).start()) {
                    Figures warmUp = webhook(settings, warmUpMirror, pushed);
                    System.out.printf("warm-up %d: %.1f ms CPU per warmed MiB (%s)%n", round,
                            warmUp.cpu().toNanos() / 1e6 / (warmUp.bytes() / MIB), warmUp.cpuByThread());
                }
            }
            Figures webhook;
            try (DistributionRegistry mirror = DistributionRegistry.proxyOf(upstream).start()) {
                webhook = webhook(settings, mirror, pushed);
                awaitStored(mirror, pushed);
            }
            CurlFetches curlFetches = new CurlFetches(connections, GIVE_UP_AFTER);
            Duration curl;
            try (DistributionRegistry mirror = DistributionRegistry.proxyOf(upstream).start()) {
                curl = curlFetches.timed(fetches(mirror, pushed));
            }
            CurlFetches.Figures hashed;
            try (DistributionRegistry mirror = DistributionRegistry.proxyOf(upstream).start()) {
                hashed = curlFetches.hashed(fetches(mirror, pushed));
            }
            report(webhook, curl, hashed, pushed, connections);
        }
        System.exit(0);
    }

    /** Prints the webhook's figures beside curl's: time to curl's, CPU per MiB to curl | sha256sum's. */
    private static void report(Figures webhook, Duration curl, CurlFetches.Figures hashed, List<PushedArtifact> images,
            int connections) {
        long curlBytes = images.stream().flatMap(image -> image.images().stream())
                .flatMap(image -> Stream.concat(Stream.of(image.config()), image.layers().stream()))
                .mapToLong(Descriptor::size).sum();
        if (curlBytes != webhook.bytes()) {
            System.out.printf("warning: curl fetched %d bytes of blobs, the webhook %d: the CPU per MiB of the "
                    + "two do not compare%n", curlBytes, webhook.bytes());
        }
        double webhookCpuPerMib = webhook.cpu().toNanos() / 1e6 / (webhook.bytes() / MIB);
        long curlCpu = hashed.cpu().stream().mapToLong(Duration::toNanos).sum();
        // A fetch of a manifest is mostly the start of its two processes, which the webhook does not pay.
        long startCpu = hashed.cpu().subList(0, images.size()).stream().mapToLong(Duration::toNanos).sorted()
                .skip(images.size() / 2).findFirst().orElseThrow();
        double curlCpuPerMib = curlCpu / 1e6 / (curlBytes / MIB);
        double curlStreamCpuPerMib = (curlCpu - startCpu * hashed.cpu().size()) / 1e6 / (curlBytes / MIB);
        System.out.printf("webhook: first image warm after %d ms, last after %d ms; %d bytes of blobs moved; "
                + "%.1f ms CPU per warmed MiB%n", webhook.first().toMillis(), webhook.last().toMillis(),
                webhook.bytes(), webhookCpuPerMib);
        System.out.printf("webhook CPU by thread (ms): %s%n", webhook.cpuByThread());
        System.out.printf("curl (%d at once): all fetched after %d ms%n", connections, curl.toMillis());
        System.out.printf("curl | sha256sum (%d at once, another empty mirror): all fetched after %d ms; %d bytes "
                + "of blobs; %.1f ms CPU per MiB, %.1f without the processes' start (%.1f ms a fetch, the median "
                + "of the manifests')%n", connections, hashed.time().toMillis(), curlBytes, curlCpuPerMib,
                curlStreamCpuPerMib, startCpu / 1e6);
        System.out.printf("ratio webhook / curl: time %.2f%n", (double) webhook.last().toNanos() / curl.toNanos());
        System.out.printf("ratio webhook / curl | sha256sum: CPU per MiB %.2f, %.2f without the processes' "
                + "start%n", webhookCpuPerMib / curlCpuPerMib, webhookCpuPerMib / curlStreamCpuPerMib);
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

    private record Figures(Duration first, Duration last, long bytes, Duration cpu, String cpuByThread) {
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
            ThreadCpu threadsBefore = ThreadCpu.snapshot();
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
            String cpuByThread = ThreadCpu.snapshot().since(threadsBefore);
            if (warmedAt.size() != images.size()) {
                throw new IllegalStateException(warmedAt.size() + " of " + images.size() + " images warmed");
            }
            long first = warmedAt.stream().mapToLong(Long::longValue).min().orElseThrow() - start;
            long last = warmedAt.stream().mapToLong(Long::longValue).max().orElseThrow() - start;
            double bytes = meters.find(ReplicationMetrics.BYTES_METRIC).counters().stream()
                    .mapToDouble(Counter::count).sum();
            return new Figures(Duration.ofNanos(first), Duration.ofNanos(last), (long) bytes, Duration.ofNanos(cpu),
                    cpuByThread);
        } finally {
            threads.stop().run();
        }
    }

    /** Every manifest, then every blob, of the images on the mirror, each with its digest. */
    private static List<CurlFetches.Batch> fetches(DistributionRegistry mirror, List<PushedArtifact> images) {
        List<CurlFetches.Fetch> manifests = new ArrayList<>();
        List<CurlFetches.Fetch> blobs = new ArrayList<>();
        for (PushedArtifact image : images) {
            manifests.add(new CurlFetches.Fetch(mirror.baseUrl() + "/v2/" + image.repository() + "/manifests/"
                    + image.tag(), image.manifest().digest()));
            image.blobDigests().forEach(blob -> blobs.add(new CurlFetches.Fetch(mirror.baseUrl() + "/v2/"
                    + image.repository() + "/blobs/" + blob, blob)));
        }
        return List.of(new CurlFetches.Batch("application/vnd.oci.image.manifest.v1+json", manifests),
                new CurlFetches.Batch("*/*", blobs));
    }
}

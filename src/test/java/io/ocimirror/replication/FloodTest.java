package io.ocimirror.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.ThreadMXBean;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.ocimirror.admission.AdmissionWebhook;
import io.ocimirror.testing.TestCertificates;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * Many thousands of admissions with unique images against a mirror that accepts connections and never answers:
 * the queue and its caches stay within their caps, jobs beyond them are dropped and counted, the heap does not grow
 * with the number of admissions, nor does the work of one admission, counted as the bytes it allocates. Admissions
 * go straight to the webhook (no HTTP) so that the flood is large and bounded in time. The median admission time of
 * the first and last quarter is logged, not asserted: time is measured by the benchmarks under {@code bench/}, where a
 * shared machine's noise is a ratio to a baseline.
 */
@QuarkusTest
@QuarkusTestResource(value = FloodTest.BlackHoleMirror.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(TestCertificates.class)
class FloodTest {

    private static final Logger LOG = Logger.getLogger(FloodTest.class);
    private static final int ADMISSIONS = 20_000;
    private static final int QUEUE_CAPACITY = 50;
    private static final long HEAP_GROWTH_LIMIT = 64L * 1024 * 1024;
    private static final ThreadMXBean THREADS =
            (ThreadMXBean) ManagementFactory.getThreadMXBean();

    @Inject
    AdmissionWebhook webhook;

    @Inject
    ReplicationQueue queue;

    @Inject
    MeterRegistry meters;

    @Test
    void staysBoundedAndFlat() {
        long heapBefore = usedHeapAfterGc();
        long[] nanos = new long[ADMISSIONS];
        long[] allocated = new long[ADMISSIONS];
        int maxDepth = 0;

        for (int i = 0; i < ADMISSIONS; i++) {
            byte[] review = review(i);
            long allocatedBefore = THREADS.getCurrentThreadAllocatedBytes();
            long start = System.nanoTime();
            AdmissionWebhook.Reply reply = webhook.review(review);
            nanos[i] = System.nanoTime() - start;
            allocated[i] = THREADS.getCurrentThreadAllocatedBytes() - allocatedBefore;
            assertEquals(200, reply.status(), () -> new String(reply.body(), StandardCharsets.UTF_8));
            maxDepth = Math.max(maxDepth, queue.depth());
        }
        long heapGrowth = usedHeapAfterGc() - heapBefore;
        long firstAllocated = median(allocated, 0, ADMISSIONS / 4);
        long lastAllocated = median(allocated, ADMISSIONS * 3 / 4, ADMISSIONS);

        double dropped = counter("dropped");
        long firstMedian = median(nanos, 0, ADMISSIONS / 4);
        long lastMedian = median(nanos, ADMISSIONS * 3 / 4, ADMISSIONS);
        LOG.infof("Flood of %d admissions: queue depth at most %d, %.0f jobs dropped, heap growth %d KiB, "
                + "median admission %d us and %d bytes allocated in the first quarter, %d us and %d bytes in the last",
                ADMISSIONS, maxDepth, dropped, heapGrowth / 1024, firstMedian / 1000, firstAllocated, lastMedian / 1000,
                lastAllocated);
        assertTrue(maxDepth <= QUEUE_CAPACITY, "queue depth " + maxDepth);
        assertTrue(dropped >= ADMISSIONS - 10L * QUEUE_CAPACITY, "dropped " + dropped);
        assertTrue(heapGrowth < HEAP_GROWTH_LIMIT, "heap grew by " + heapGrowth + " bytes");
        // The work of one admission, counted in bytes rather than time: a structure scanned or copied per admission
        // that grows with the flood shows here, and a loaded machine does not.
        assertTrue(lastAllocated <= 2 * firstAllocated + 16 * 1024, "median allocation per admission grew from "
                + firstAllocated + " to " + lastAllocated + " bytes");
    }

    private byte[] review(int i) {
        String json = """
                {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"flood-%d",
                 "operation":"CREATE","namespace":"flood","resource":{"group":"","version":"v1","resource":"pods"},
                 "object":{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p-%d"},
                  "spec":{"containers":[{"name":"app","image":"team/app-%d:1.0"}]}}}}
                """.formatted(i, i, i);
        return json.getBytes(StandardCharsets.UTF_8);
    }

    private double counter(String outcome) {
        // Summed: a meter of an earlier application in this JVM may carry the same source with another mirror host.
        return meters.find(ReplicationMetrics.JOBS_METRIC).tags("source_registry", "docker.io", "outcome", outcome)
                .counters().stream().mapToDouble(Counter::count).sum();
    }

    private static long median(long[] values, int from, int to) {
        long[] part = Arrays.copyOfRange(values, from, to);
        Arrays.sort(part);
        return part[part.length / 2];
    }

    private static long usedHeapAfterGc() {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }

    /** A loopback port that accepts connections and never answers, so every replication call waits for its timeout. */
    public static class BlackHoleMirror implements QuarkusTestResourceLifecycleManager {

        private ServerSocket server;
        private final List<Socket> accepted = new ArrayList<>();

        @Override
        public Map<String, String> start() {
            try {
                server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                Thread acceptor = new Thread(this::acceptUntilClosed, "black-hole-mirror");
                acceptor.setDaemon(true);
                acceptor.start();
                Path config = Files.createTempFile("oci-mirror-flood", ".yaml");
                Files.writeString(config, "registryMirrors:\n  docker.io: {baseDomain: \"127.0.0.1:"
                        + server.getLocalPort() + "\", insecure: true}\n");
                return Map.of(
                        "oci-mirror.config-file", config.toString(),
                        "oci-mirror.replication.enabled", "true",
                        "oci-mirror.replication.queue-capacity", String.valueOf(QUEUE_CAPACITY),
                        "oci-mirror.replication.recent-capacity", "100",
                        "oci-mirror.replication.attempts", "1",
                        "oci-mirror.replication.timeout", "60s",
                        "oci-mirror.replication.drain-timeout", "1s");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private void acceptUntilClosed() {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    synchronized (accepted) {
                        accepted.add(socket);
                    }
                } catch (IOException e) {
                    return;
                }
            }
        }

        @Override
        public void stop() {
            try {
                server.close();
                synchronized (accepted) {
                    for (Socket socket : accepted) {
                        socket.close();
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}

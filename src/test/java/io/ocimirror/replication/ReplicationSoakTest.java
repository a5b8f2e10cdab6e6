package io.ocimirror.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ocimirror.config.ConfigurationOwner;
import io.ocimirror.config.Mirror;
import io.ocimirror.config.MirrorConfiguration.ReplicationScope;
import io.ocimirror.config.Platform;
import io.ocimirror.config.ReplicationMode;
import io.ocimirror.reference.ImageReference;
import io.ocimirror.registry.RegistryAccess;
import io.ocimirror.registry.RegistryAccessException.Failure;
import io.ocimirror.registry.RegistryAccessException;
import io.ocimirror.testing.Configurations;
import io.ocimirror.testing.Mirrors;
import io.ocimirror.testing.registry.DistributionRegistry;
import io.ocimirror.testing.registry.TestContent;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * Live heap stays flat over many registry calls, successful and failing: whatever a call allocates is released when
 * it ends. Bounded in jobs and in time; the heap is measured after garbage collection, after a warm-up and at the end.
 */
class ReplicationSoakTest {

    private static final Logger LOG = Logger.getLogger(ReplicationSoakTest.class);
    private static final int WARM_UP_JOBS = 1_000;
    /**
     * Enough jobs after the warm-up that a leak of 2 KiB per job (jib-core's FailoverHttpClient kept about 150 KiB)
     * shows beyond the allowed growth; a count, not a rate, so a loaded machine only takes longer.
     */
    private static final int MEASURED_JOBS = 2_500;
    /** Bounds the loop on a machine so slow that something else is wrong; an idle one needs a tenth of it. */
    private static final Duration TIME_LIMIT = Duration.ofSeconds(240);
    private static final long MAX_GROWTH_BYTES = 4L * 1024 * 1024;
    private static final ReplicationScope FULL = new ReplicationScope(ReplicationMode.FULL,
            List.of(new Platform("linux", "amd64", Optional.empty())));

    @Test
    void keepsLiveHeapFlatOverManyJobs() throws Exception {
        try (DistributionRegistry registry = DistributionRegistry.upstream().start();
                FaultyMirrors faults = new FaultyMirrors()) {
            TestContent.to(registry).pushDockerImage("library/app", "1.0", TestContent.LINUX_AMD64);
            RegistryClients factory =
                    TestClients.of(Duration.ofSeconds(3), Duration.ofSeconds(10), System::nanoTime);
            RegistryAccess healthy = factory.forMirror(plainMirror(registry.hostPort()), ConfigurationOwner.WEBHOOK);
            RegistryAccess refused = factory.forMirror(plainMirror(faults.refusedHost()), ConfigurationOwner.WEBHOOK);
            ImageReference present = ImageReference.parse(registry.hostPort() + "/library/app:1.0");
            ImageReference missing = ImageReference.parse(registry.hostPort() + "/library/missing:1.0");
            ImageReference dead = ImageReference.parse(faults.refusedHost() + "/library/app:1.0");

            long deadline = System.nanoTime() + TIME_LIMIT.toNanos();
            long baseline = 0;
            int jobs = 0;
            int[] outcomes = new int[3];
            for (; jobs < WARM_UP_JOBS + MEASURED_JOBS && System.nanoTime() - deadline < 0; jobs++) {
                if (jobs == WARM_UP_JOBS) {
                    baseline = liveHeapBytes();
                }
                switch (jobs % 4) {
                    case 0, 1 -> {
                        RegistryWalk.walk(healthy, present, FULL);
                        outcomes[0]++;
                    }
                    case 2 -> outcomes[1] += failure(healthy, missing) == Failure.NOT_FOUND ? 1 : 0;
                    default -> outcomes[2] += failure(refused, dead) == Failure.UNREACHABLE ? 1 : 0;
                }
            }
            long growth = liveHeapBytes() - baseline;
            LOG.infof("Soak: %d jobs (%d walked, %d not found, %d unreachable), live heap growth %d KiB", jobs,
                    outcomes[0], outcomes[1], outcomes[2], growth / 1024);

            assertEquals(WARM_UP_JOBS + MEASURED_JOBS, jobs, "jobs run before the loop's time bound of " + TIME_LIMIT);
            assertEquals(jobs, outcomes[0] + outcomes[1] + outcomes[2],
                    "every job ended as expected");
            assertTrue(growth < MAX_GROWTH_BYTES, "live heap grew by " + growth / 1024 + " KiB over " + jobs
                    + " jobs");
        }
    }

    private static Failure failure(RegistryAccess registry, ImageReference reference) {
        try {
            RegistryWalk.walk(registry, reference, FULL);
            return null;
        } catch (RegistryAccessException e) {
            return e.failure();
        }
    }

    private static Mirror plainMirror(String host) {
        return Mirrors.plainHttp("upstream.test", host);
    }

    /** Heap in use after collections that leave only live objects (three, as one may not finish the job). */
    private static long liveHeapBytes() throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}

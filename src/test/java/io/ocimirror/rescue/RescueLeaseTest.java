package io.ocimirror.rescue;

import static io.ocimirror.rescue.RescuePods.MIRRORED;
import static io.ocimirror.rescue.RescuePods.NAMESPACE;
import static io.ocimirror.rescue.RescuePods.ORIGINAL;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ocimirror.testing.Await;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two replicas' controllers, built directly against one fabric8 test API server and one Lease: both learn from a
 * failing Pod, exactly one patches it; when the leader goes, the other takes the Lease over.
 */
@EnableKubernetesMockClient(crud = true)
class RescueLeaseTest {

    private static final Duration GRACE = Duration.ofSeconds(30);
    private static final Duration LIMIT = Duration.ofSeconds(20);

    static KubernetesClient client;

    private final ObjectMapper mapper = new ObjectMapper();
    private final List<String> learnt = new CopyOnWriteArrayList<>();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final Replica a = new Replica("replica-a");
    private final Replica b = new Replica("replica-b");

    /** One replica: its controller, clock and metrics. */
    private final class Replica {
        final ManualTimer timer = new ManualTimer(Instant.parse("2026-01-01T10:00:00Z"));
        final MeterRegistry meters = new SimpleMeterRegistry();
        final RescueController controller;

        Replica(String identity) {
            controller = new RescueController(client, new Settings(), "oci-mirror-system", identity,
                    RescuePods.FORMS, (mirror, reference) -> learnt.add(identity + " " + reference), timer, meters,
                    (involved, type, reason, message) -> events.add(identity + " " + reason), mapper);
        }

        boolean leading() {
            return controller.leadership().leading();
        }

        double rescues() {
            var counter = meters.find(RescueReporter.METRIC).tag("outcome", "rescued").counter();
            return counter == null ? 0 : counter.count();
        }
    }

    @AfterEach
    void close() {
        a.controller.close();
        b.controller.close();
    }

    @Test
    void exactlyOneReplicaPatchesAndBothLearn() {
        a.controller.start();
        b.controller.start();
        Await.until(LIMIT, () -> a.leading() || b.leading(), "a replica to take the Lease");
        Pod pod = client.resource(RescuePods.pod().build()).create();
        client.pods().inNamespace(NAMESPACE).resource(new PodBuilder(pod).withNewStatus()
                .addToContainerStatuses(RescuePods.failing("web")).endStatus().build()).updateStatus();
        Await.until(LIMIT, () -> a.timer.waiting() > 0 && b.timer.waiting() > 0, "both replicas to see the failure");

        Stream.of(a, b).forEach(replica -> replica.timer.advanceAndRun(GRACE));

        Pod rescued = client.pods().inNamespace(NAMESPACE).withName(pod.getMetadata().getName()).get();
        Replica leader = a.leading() ? a : b;
        assertAll(
                () -> assertEquals(ORIGINAL, rescued.getSpec().getContainers().get(0).getImage()),
                () -> assertEquals(1.0, a.rescues() + b.rescues(), "one rescue in all"),
                () -> assertEquals(1.0, leader.rescues(), "by the leader"),
                () -> assertEquals(List.of("replica-a " + MIRRORED, "replica-b " + MIRRORED),
                        learnt.stream().sorted().toList()),
                () -> assertEquals(List.of(leaderName(leader) + " " + RescueReporter.REASON), events));
    }

    @Test
    void anotherReplicaTakesOverWhenTheLeaderGoes() {
        a.controller.start();
        Await.until(LIMIT, a::leading, "replica-a to take the Lease");
        b.controller.start();

        a.controller.close();

        Await.until(LIMIT, b::leading, "replica-b to take the Lease over");
        assertEquals(Optional.of("replica-b"), b.controller.leadership().holder());
    }

    private String leaderName(Replica leader) {
        return leader == a ? "replica-a" : "replica-b";
    }

    /** Short Lease timings, so that a takeover takes seconds. */
    private static final class Settings implements RescueSettings {
        @Override
        public boolean enabled() {
            return true;
        }

        @Override
        public Duration pullFailureGrace() {
            return GRACE;
        }

        @Override
        public String leaseName() {
            return "oci-mirror-webhook-rescue";
        }

        @Override
        public Duration leaseDuration() {
            return Duration.ofSeconds(2);
        }

        @Override
        public Duration leaseRenewDeadline() {
            return Duration.ofMillis(1500);
        }

        @Override
        public Duration leaseRetryPeriod() {
            return Duration.ofMillis(200);
        }
    }
}

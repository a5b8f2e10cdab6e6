package io.ocimirror.replication;

import static io.ocimirror.testing.registry.TestContent.LINUX_AMD64;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.ocimirror.testing.Await;
import io.ocimirror.testing.TestCertificates;
import io.ocimirror.testing.registry.PushedArtifact;
import io.ocimirror.testing.registry.TestContent;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Warm ahead against fabric8's CRUD API server and real Docker Distribution registries: a Deployment created in a
 * namespace labelled {@code oci-mirror.io/enabled} has its images replicated before any Pod exists, and is never
 * written to. Where a test shows that something is not scheduled, a later change that is scheduled (a marker) is
 * awaited first: the informers deliver events in order, so the earlier change has been handled by then.
 */
@QuarkusTest
@TestProfile(WarmAheadTest.WarmAheadOn.class)
@QuarkusTestResource(value = ReplicationRegistries.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(TestCertificates.class)
@WithKubernetesTestServer(crud = true)
class WarmAheadTest {

    private static final Duration LIMIT = Duration.ofSeconds(60);
    private static final String OPTED_IN = "warm";
    private static final String FLOOD = "flood";
    private static final String NOT_OPTED_IN = "plain";
    private static final AtomicInteger NAMES = new AtomicInteger();

    /** Virtual replication time, and warm ahead switched on. */
    public static class WarmAheadOn extends VirtualReplicationTime {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("oci-mirror.warm-ahead.enabled", "true");
        }
    }

    @KubernetesTestServer
    KubernetesServer server;

    @RegistryTestResource.Inject
    ReplicationRegistries registries;

    @Inject
    MeterRegistry meters;

    @Inject
    ReplicationQueue queue;

    @Inject
    TestReplicationTime time;

    @Test
    void aNewDeploymentIsReplicatedBeforeAnyPodAndNeverWrittenTo() {
        KubernetesClient client = namespaces();
        PushedArtifact web = TestContent.to(registries.upstream).pushDockerImage("team/warm-web", "1.0", LINUX_AMD64);
        PushedArtifact api = TestContent.to(registries.upstream).pushDockerImage("team/warm-api", "1.0", LINUX_AMD64);
        double scheduled = scheduled(upstream());

        Deployment created = client.resource(deployment(OPTED_IN, 1, reference(web), reference(api))).create();

        await(() -> jobs(upstream(), "succeeded") >= scheduled + 2, "both references to be replicated");
        await(() -> registries.openMirror.missingFor(web, List.of(LINUX_AMD64)).isEmpty()
                && registries.openMirror.missingFor(api, List.of(LINUX_AMD64)).isEmpty(), "the mirror to hold both");
        Deployment now = client.apps().deployments().inNamespace(OPTED_IN).withName(created.getMetadata().getName())
                .get();
        assertAll(
                () -> assertEquals(scheduled + 2, scheduled(upstream()), "one job per reference"),
                () -> assertEquals(created.getMetadata().getResourceVersion(), now.getMetadata().getResourceVersion(),
                        "the template is not written to"),
                () -> assertTrue(client.pods().inNamespace(OPTED_IN).list().getItems().isEmpty(), "no Pod exists"));
    }

    @Test
    void anUpdateOfReplicasOnlySchedulesNothing() {
        KubernetesClient client = namespaces();
        String image = upstream() + "/team/replicas:1.0";
        double scheduled = scheduled(upstream());
        Deployment created = client.resource(deployment(OPTED_IN, 1, image)).create();
        await(() -> scheduled(upstream()) >= scheduled + 1, "the created template to be warmed");

        client.apps().deployments().inNamespace(OPTED_IN).withName(created.getMetadata().getName())
                .edit(d -> new DeploymentBuilder(d).editSpec().withReplicas(5).endSpec().build());
        client.resource(deployment(OPTED_IN, 1, upstream() + "/team/replicas-marker:1.0")).create();

        await(() -> scheduled(upstream()) >= scheduled + 2, "the marker to be warmed");
        assertEquals(scheduled + 2, scheduled(upstream()), "the replicas update scheduled nothing");
    }

    @Test
    void aNamespaceWithoutTheLabelSchedulesNothing() {
        KubernetesClient client = namespaces();
        double scheduled = scheduled(upstream());
        client.resource(deployment(NOT_OPTED_IN, 1, upstream() + "/team/unlabelled:1.0")).create();
        client.resource(deployment(OPTED_IN, 1, upstream() + "/team/unlabelled-marker:1.0")).create();

        await(() -> scheduled(upstream()) >= scheduled + 1, "the marker to be warmed");
        assertEquals(scheduled + 1, scheduled(upstream()), "only the marker was scheduled");
    }

    @Test
    void aFloodOfTemplateUpdatesStaysWithinTheQueueBound() throws InterruptedException {
        KubernetesClient client = namespaces();
        String dead = ReplicationRegistries.DEAD_MIRROR_SOURCE;
        double scheduled = scheduled(dead);
        double dropped = jobs(dead, "dropped");
        Deployment deployment = client.resource(deployment(FLOOD, 1, dead + "/team/flood:0")).create();
        int maximumDepth = 0;
        for (int i = 1; i < 50; i++) {
            String image = dead + "/team/flood:" + i;
            client.apps().deployments().inNamespace(FLOOD).withName(deployment.getMetadata().getName())
                    .edit(d -> new DeploymentBuilder(d).editSpec().editTemplate().editSpec().editFirstContainer()
                            .withImage(image).endContainer().endSpec().endTemplate().endSpec().build());
            maximumDepth = Math.max(maximumDepth, queue.depth());
        }
        // A job is counted when it ends; those still waiting for a retry are in the queue's depth.
        Await.until(LIMIT, () -> scheduled(dead) - scheduled + queue.depth() >= 50,
                () -> "the 50 templates to be handed to the queue, " + (scheduled(dead) - scheduled) + " so far");
        int depth = queue.depth();
        int deepest = Math.max(maximumDepth, depth);
        try {
            assertAll(
                    () -> assertEquals(50, scheduled(dead) - scheduled + depth, "one job per template"),
                    () -> assertTrue(deepest <= ReplicationRegistries.QUEUE_CAPACITY, "depth " + deepest),
                    () -> assertTrue(jobs(dead, "dropped") - dropped >= 50 - ReplicationRegistries.QUEUE_CAPACITY,
                            "the jobs beyond the bound are dropped"));
        } finally {
            // The dead mirror's jobs wait for their retries on the virtual clock: run them to the end.
            while (queue.depth() > 0 && time.awaitScheduled(LIMIT)) {
                time.runNext();
            }
        }
    }

    /** Every job handed to the queue for the source registry, whatever became of it. */
    private double scheduled(String source) {
        return meters.find(ReplicationMetrics.JOBS_METRIC).tags("source_registry", source).counters().stream()
                .mapToDouble(Counter::count).sum();
    }

    private double jobs(String source, String outcome) {
        return meters.find(ReplicationMetrics.JOBS_METRIC).tags("source_registry", source, "outcome", outcome)
                .counters().stream().mapToDouble(Counter::count).sum();
    }

    private String upstream() {
        return registries.upstream.hostPort();
    }

    private String reference(PushedArtifact artifact) {
        return artifact.reference(upstream());
    }

    /** The test namespaces, created once: two opted in, one not. */
    private KubernetesClient namespaces() {
        KubernetesClient client = server.getClient();
        for (String name : List.of(OPTED_IN, FLOOD, NOT_OPTED_IN)) {
            if (client.namespaces().withName(name).get() == null) {
                client.resource(new NamespaceBuilder().withNewMetadata().withName(name)
                        .addToLabels("oci-mirror.io/enabled", name.equals(NOT_OPTED_IN) ? "false" : "true")
                        .endMetadata().build()).create();
            }
        }
        return client;
    }

    private static Deployment deployment(String namespace, int replicas, String... images) {
        DeploymentBuilder builder = new DeploymentBuilder().withNewMetadata()
                .withName("app-" + NAMES.incrementAndGet()).withNamespace(namespace).endMetadata()
                .withNewSpec().withReplicas(replicas).withNewTemplate().withNewMetadata()
                .addToLabels("app", "web").endMetadata().withNewSpec().endSpec().endTemplate().endSpec();
        for (int i = 0; i < images.length; i++) {
            builder.editSpec().editTemplate().editSpec().addNewContainer().withName("c" + i).withImage(images[i])
                    .endContainer().endSpec().endTemplate().endSpec();
        }
        return builder.build();
    }

    private static void await(java.util.function.BooleanSupplier condition, String what) {
        Await.until(LIMIT, condition, what);
    }
}

package io.ocimirror.replication;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.ocimirror.testing.Await;
import io.ocimirror.testing.TestCertificates;
import io.ocimirror.testing.WebhookClient;
import io.ocimirror.testing.registry.DistributionRegistry;
import io.ocimirror.testing.registry.PushedArtifact;
import io.ocimirror.testing.registry.TestContent;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Rewriting that never makes a pull worse: a {@code rewritePolicy: replicated} mirror gets a reference only after
 * replication proved it holds it, and a mirror that keeps failing gets none until a probe succeeds.
 */
@QuarkusTest
@TestProfile(VirtualReplicationTime.class)
@QuarkusTestResource(value = MirrorAwareRewritingTest.Registries.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(TestCertificates.class)
class MirrorAwareRewritingTest {

    private static final Duration LIMIT = Duration.ofSeconds(60);
    private static final String DEAD_MIRROR_SOURCE = "dead-mirror.test";
    private static final Duration OPEN_DURATION = Duration.ofSeconds(2);

    @RegistryTestResource.Inject
    Registries registries;

    @Inject
    MeterRegistry meters;

    @Inject
    TestReplicationTime time;

    @TestHTTPResource(value = "/", tls = true)
    URL url;

    @TestHTTPResource(value = "/", management = true)
    URL management;

    @Test
    void rewritesToAReplicatedPolicyMirrorOnlyOnceItHoldsTheImage() {
        String upstream = registries.upstream.hostPort();
        String image = registries.image.reference(upstream);
        double succeeded = counter(ReplicationMetrics.JOBS_METRIC, "source_registry", upstream, "outcome", "succeeded");

        assertEquals(image, admittedImage(image), "not rewritten before the mirror holds it");
        assertEquals(1, counter(MirrorHealth.HELD_BACK_METRIC, "source_registry", upstream, "reason", "not-replicated-yet"));
        Await.until(LIMIT, () -> counter(ReplicationMetrics.JOBS_METRIC, "source_registry", upstream, "outcome", "succeeded")
                > succeeded, "the replication of " + image);

        assertEquals(registries.image.reference(registries.mirror.hostPort()), admittedImage(image));
    }

    @Test
    void leavesReferencesToAFailingMirrorAsWrittenUntilAProbeSucceeds() {
        assertEquals("127.0.0.1:" + registries.deadPort + "/library/first:1", admittedImage(DEAD_MIRROR_SOURCE + "/library/first:1"));
        assertEquals("127.0.0.1:" + registries.deadPort + "/library/second:1", admittedImage(DEAD_MIRROR_SOURCE + "/library/second:1"));
        Await.until(LIMIT, () -> counter(MirrorHealth.OPENED_METRIC, "mirror_host", deadHost()) >= 1,
                "two failed calls to open the breaker");

        assertEquals(DEAD_MIRROR_SOURCE + "/library/third:1", admittedImage(DEAD_MIRROR_SOURCE + "/library/third:1"));
        given().baseUri(management.toString()).get("health/ready")
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.find { it.name == 'mirrors' }.data['" + deadHost() + "']",
                        startsWith("unavailable after 2 failed calls in a row"));

        assertEquals(1, counter(MirrorHealth.OPENED_METRIC, "mirror_host", deadHost()), "no probe before the open period ends");

        time.advance(OPEN_DURATION);
        admittedImage(DEAD_MIRROR_SOURCE + "/library/probe:1");
        Await.until(LIMIT, () -> counter(MirrorHealth.OPENED_METRIC, "mirror_host", deadHost()) >= 2,
                "a probe after the open period to fail and open the breaker again");
        assertEquals(DEAD_MIRROR_SOURCE + "/library/fourth:1", admittedImage(DEAD_MIRROR_SOURCE + "/library/fourth:1"));
    }

    private String deadHost() {
        return "127.0.0.1:" + registries.deadPort;
    }

    private String admittedImage(String image) {
        WebhookClient client = new WebhookClient(url);
        ObjectNode pod = (ObjectNode) client.read("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\"},"
                + "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"" + image + "\"}]}}");
        JsonNode mutated = client.admit(client.review("", "v1", "pods", null, "CREATE", "apps", pod, null, false))
                .applyTo(pod);
        return mutated.at("/spec/containers/0/image").asText();
    }

    private double counter(String name, String... tags) {
        // Summed: a meter of an earlier application in this JVM may carry the same source with another mirror host.
        return meters.find(name).tags(tags).counters().stream().mapToDouble(Counter::count).sum();
    }

    /** An upstream with one image, a proxy mirror of it under {@code rewritePolicy: replicated}, a dead port. */
    public static class Registries extends RegistryTestResource {

        DistributionRegistry upstream;
        DistributionRegistry mirror;
        PushedArtifact image;
        int deadPort;

        @Override
        public Map<String, String> start() {
            upstream = started(DistributionRegistry.upstream());
            image = TestContent.to(upstream).pushDockerImage("library/app", "1.0", TestContent.LINUX_AMD64);
            mirror = started(DistributionRegistry.proxyOf(upstream));
            deadPort = unusedPort();
            Path config = configFile("oci-mirror-aware", """
                    registryMirrors:
                      %s: {baseDomain: "%s", insecure: true, rewritePolicy: replicated}
                      %s: {baseDomain: "127.0.0.1:%d", insecure: true}
                    """.formatted(upstream.hostPort(), mirror.hostPort(), DEAD_MIRROR_SOURCE, deadPort));
            return Map.of(
                    "oci-mirror.config-file", config.toString(),
                    "oci-mirror.replication.enabled", "true",
                    "oci-mirror.replication.attempts", "1",
                    "oci-mirror.circuit-breaker.failure-threshold", "2",
                    "oci-mirror.circuit-breaker.open-duration", OPEN_DURATION.toMillis() + "ms");
        }
    }
}

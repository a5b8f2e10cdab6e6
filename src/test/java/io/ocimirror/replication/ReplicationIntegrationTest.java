package io.ocimirror.replication;

import static io.ocimirror.testing.registry.TestContent.LINUX_AMD64;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.ocimirror.config.ConfigurationOwner;
import io.ocimirror.config.ReplicationMode;
import io.ocimirror.configstore.ConfigurationStore;
import io.ocimirror.testing.Await;
import io.ocimirror.testing.LogCapture;
import io.ocimirror.testing.TestCertificates;
import io.ocimirror.testing.WebhookClient.Admission;
import io.ocimirror.testing.WebhookClient;
import io.ocimirror.testing.registry.DistributionRegistry;
import io.ocimirror.testing.registry.PushedArtifact;
import io.ocimirror.testing.registry.RegistryResponse;
import io.ocimirror.testing.registry.TestContent;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Replication against real Docker Distribution registries: admissions over HTTPS hand references to the queue, the
 * workers walk them through proxy-mode mirrors, and the mirrors' storage and answers (with the upstream stopped)
 * show what was warmed. Retries wait on {@link TestReplicationTime} until a test runs them. Each test sets up what it
 * needs and waits for the jobs it relies on, running the retries earlier ones left: they run in any order.
 */
@QuarkusTest
@TestProfile(VirtualReplicationTime.class)
@QuarkusTestResource(value = ReplicationRegistries.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(TestCertificates.class)
class ReplicationIntegrationTest {

    private static final Duration LIMIT = Duration.ofSeconds(60);
    private static final Duration SETTLE_POLL = Duration.ofMillis(100);
    private static final List<String> AMD64 = List.of(LINUX_AMD64);
    private static final List<String> ALL_MANIFEST_TYPES = List.of(
            "application/vnd.oci.image.index.v1+json",
            "application/vnd.docker.distribution.manifest.list.v2+json",
            "application/vnd.oci.image.manifest.v1+json",
            "application/vnd.docker.distribution.manifest.v2+json");

    @RegistryTestResource.Inject
    ReplicationRegistries registries;

    @Inject
    MeterRegistry meters;

    @Inject
    ConfigurationStore configurations;

    @Inject
    ReplicationQueue queue;

    @Inject
    TestReplicationTime time;

    @TestHTTPResource(value = "/", tls = true)
    URL url;

    @TestHTTPResource(value = "/", management = true)
    URL management;

    /** Every log record of the application while this class runs, with its stack trace. */
    private static final LogCapture LOGS = LogCapture.install();

    @Test
    void warmsEverythingTheConfiguredPlatformsNeedSoTheMirrorServesThemWithoutItsUpstream() {
        String upstream = registries.upstream.hostPort();
        TestContent.Pushed content = registries.content;
        double succeeded = jobs(upstream, "succeeded");

        admitPod(false, content.singleImage().reference(upstream), content.ociIndex().reference(upstream),
                content.dockerManifestList().reference(upstream));
        admitPluginDefinition("oci://" + upstream + "/charts", "podinfo", TestContent.CHART_VERSION);
        await(() -> jobs(upstream, "succeeded") >= succeeded + 4, "four replication jobs to succeed");

        List<String> warmed = LOGS.containing("Warmed ");
        assertTrue(warmed.stream().anyMatch(line -> line.contains(content.singleImage().reference())
                && line.matches("(?s)Warmed .+ through \\S+ in [0-9.]+(ms|s|us)"
                        + ": [0-9.]+ (B|KiB|MiB) in \\d+ manifests and \\d+ blobs; .*")), () -> "one line per warm-up: " + warmed);

        DistributionRegistry mirror = registries.openMirror;
        for (PushedArtifact artifact : content.all()) {
            await(() -> mirror.missingFor(artifact, AMD64).isEmpty(),
                    () -> artifact.reference() + " to be cached, missing " + mirror.missingFor(artifact, AMD64));
            assertEquals(List.of(), mirror.cachedBeyond(artifact, AMD64), artifact.reference() + ": only linux/amd64");
        }
        registries.upstream.stop();
        try {
            for (PushedArtifact artifact : content.all()) {
                assertServedWithoutUpstream(mirror, artifact);
            }
        } finally {
            registries.upstream.start();
        }
    }

    @Test
    void manifestModeFetchesOnlyTheManifests() throws IOException {
        String upstream = registries.upstream.hostPort();
        PushedArtifact image = TestContent.to(registries.upstream).pushDockerImage("team/manifest-only", "1.0", LINUX_AMD64);
        Files.writeString(registries.configFile, registries.configuration("manifest"));
        try {
            await(() -> configurations.snapshot(ConfigurationOwner.WEBHOOK).orElseThrow().replication().mode() == ReplicationMode.MANIFEST,
                    "the configuration file to switch to manifest mode");
            double succeeded = jobs(upstream, "succeeded");

            admitPod(false, image.reference(upstream));
            await(() -> jobs(upstream, "succeeded") >= succeeded + 1, "the manifest-only job to succeed");

            DistributionRegistry mirror = registries.openMirror;
            assertTrue(mirror.hasManifestRevision(image.repository(), image.manifest().digest()));
            for (String blob : image.blobDigests()) {
                assertFalse(mirror.hasBlob(blob), "manifest mode must not fetch blob " + blob);
            }
        } finally {
            Files.writeString(registries.configFile, registries.configuration("full"));
            await(() -> configurations.snapshot(ConfigurationOwner.WEBHOOK).orElseThrow().replication().mode() == ReplicationMode.FULL,
                    "the configuration file to switch back to full mode");
        }
    }

    @Test
    void presentsConfiguredCredentialsAndGivesUpOnWrongOnes() {
        PushedArtifact image = registries.content.singleImage();
        String basicSource = "localhost:" + registries.upstream.port();
        double succeeded = jobs(basicSource, "succeeded");
        double bearerSucceeded = jobs(ReplicationRegistries.BEARER_SOURCE, "succeeded");
        double failed = jobs(ReplicationRegistries.WRONG_CREDENTIALS_SOURCE, "failed");

        admitPod(false, image.reference(basicSource), image.reference(ReplicationRegistries.BEARER_SOURCE),
                image.reference(ReplicationRegistries.WRONG_CREDENTIALS_SOURCE));

        await(() -> jobs(basicSource, "succeeded") >= succeeded + 1, "replication through the Basic-auth mirror");
        await(() -> jobs(ReplicationRegistries.BEARER_SOURCE, "succeeded") >= bearerSucceeded + 1,
                "replication through the token-auth mirror");
        await(() -> jobs(ReplicationRegistries.WRONG_CREDENTIALS_SOURCE, "failed") >= failed + 1,
                "the job with wrong credentials to give up");
        for (DistributionRegistry mirror : List.of(registries.basicMirror, registries.bearerMirror)) {
            await(() -> mirror.missingFor(image, AMD64).isEmpty(), () -> "the image cached in " + mirror);
        }
    }

    @Test
    void retriesADeadMirrorThenGivesUpWhileAdmissionGoesOn() throws InterruptedException {
        String source = ReplicationRegistries.DEAD_MIRROR_SOURCE;
        settle();
        double failed = jobs(source, "failed");
        double retries = counter(ReplicationMetrics.RETRIES_METRIC, source);

        Admission admission = admitPod(false, source + "/library/app:1.0");

        assertFalse(admission.isEmpty(), "the reference is rewritten whatever the mirror's state");
        assertEquals(1, queue.depth(), "admission answered while the job was still being tried");
        for (int retry = 1; retry < ReplicationRegistries.ATTEMPTS; retry++) {
            assertTrue(time.awaitScheduled(LIMIT), "retry " + retry + " scheduled");
            assertEquals(retries + retry, counter(ReplicationMetrics.RETRIES_METRIC, source), "retries counted");
            assertEquals(failed, jobs(source, "failed"), "the job waits for retry " + retry + " and has not given up");
            assertEquals(1, queue.depth(), "the job waiting for retry " + retry + " stays in the queue");
            assertBackoff(retry, time.nextDelay());
            time.runNext();
        }

        await(() -> jobs(source, "failed") >= failed + 1, "the job against the dead mirror to give up");
        await(() -> queue.depth() == 0, "the job to leave the queue");
        assertEquals(failed + 1, jobs(source, "failed"), "one job gave up");
        assertEquals(retries + 2, counter(ReplicationMetrics.RETRIES_METRIC, source), "three attempts, two retries");
        assertFalse(time.awaitScheduled(Duration.ZERO), "no retry after the last attempt");
    }

    @Test
    void dropsAndCountsJobsBeyondTheQueueCapacityWithoutHoldingAdmissionUp() throws InterruptedException {
        String source = ReplicationRegistries.DEAD_MIRROR_SOURCE;
        int capacity = ReplicationRegistries.QUEUE_CAPACITY;
        int flood = 20;
        settle();
        double dropped = jobs(source, "dropped");
        double failed = jobs(source, "failed");
        double retries = counter(ReplicationMetrics.RETRIES_METRIC, source);
        int maxDepth = 0;

        for (int i = 0; i < flood; i++) {
            Admission admission = admitPod(false, source + "/flood/app-" + i + ":1.0");
            assertFalse(admission.isEmpty(), "admission " + i + " rewrites the reference");
            maxDepth = Math.max(maxDepth, queue.depth());
        }

        // The accepted jobs wait on the test's timer for their retries: none ends during the flood.
        assertEquals(capacity, maxDepth, "the queue fills up to its capacity and no further");
        assertEquals(capacity, queue.depth(), "the accepted jobs are all still queued");
        assertEquals(flood - capacity, jobs(source, "dropped") - dropped, "jobs beyond the capacity dropped");
        assertEquals(failed, jobs(source, "failed"), "no job gave up during the flood");

        int scheduledRetries = capacity * (ReplicationRegistries.ATTEMPTS - 1);
        for (int i = 0; i < scheduledRetries; i++) {
            int run = i;
            assertTrue(time.awaitScheduled(LIMIT), () -> "retry " + (run + 1) + " of " + scheduledRetries + " scheduled");
            time.runNext();
        }
        await(() -> queue.depth() == 0, "the accepted jobs to give up");
        await(() -> jobs(source, "failed") >= failed + capacity, "every accepted job to be counted as failed");
        assertEquals(failed + capacity, jobs(source, "failed"), "every accepted job gave up, once");
        assertEquals(retries + scheduledRetries, counter(ReplicationMetrics.RETRIES_METRIC, source),
                "two retries for each accepted job");
        assertEquals(flood - capacity, jobs(source, "dropped") - dropped, "no job dropped after the flood");
        assertFalse(time.awaitScheduled(Duration.ZERO), "no retry after the last attempts");
    }

    @Test
    void replicatesNothingForADryRun() throws InterruptedException {
        settle();
        String upstream = registries.upstream.hostPort();
        DistributionRegistry mirror = registries.openMirror;

        admitPod(true, upstream + "/team/dry-run-only:1.0");
        admitPod(false, upstream + "/team/after-dry-run:1.0");

        List<DistributionRegistry.Request> after = mirror.awaitRequests(
                r -> r.path().contains("/team/after-dry-run/"), 1, LIMIT);
        assertFalse(after.isEmpty(), "the real admission's job reached the mirror");
        assertEquals(List.of(), mirror.requests().stream().filter(r -> r.path().contains("dry-run-only")).toList(),
                "nothing of the dry run reaches the mirror");
    }

    @Test
    void neverShowsCredentialsInLogsOrMetrics() {
        String source = ReplicationRegistries.WRONG_CREDENTIALS_SOURCE;
        String reference = source + "/team/credentials-in-logs:1.0";
        double failed = jobs(source, "failed");
        admitPod(false, reference);
        await(() -> jobs(source, "failed") >= failed + 1, "the job with wrong credentials to give up");
        String metrics = given().baseUri(management.toString()).get("metrics").then().statusCode(200)
                .extract().asString();

        assertTrue(LOGS.containing("HTTP 401").stream().anyMatch(line -> line.contains("team/credentials-in-logs")
                        && line.contains("were refused")),
                () -> "the give-up on wrong credentials says they were refused: " + LOGS.containing("HTTP 401"));
        for (String secret : List.of(ReplicationRegistries.PASSWORD, ReplicationRegistries.WRONG_PASSWORD)) {
            assertEquals(List.of(), LOGS.containing(secret), "log records showing a password");
            assertFalse(metrics.contains(secret), "metrics show a password");
        }
    }

    /** Runs the retries that earlier tests left waiting until no job is left, bounded in real time. */
    private void settle() throws InterruptedException {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (queue.depth() > 0) {
            assertTrue(System.nanoTime() - deadline < 0, () -> "earlier jobs still queued: " + queue.depth());
            if (time.awaitScheduled(SETTLE_POLL)) {
                time.runNext();
            }
        }
    }

    /** Retry {@code n} (from 1) waits between half and all of {@code initial × 2^(n-1)}, capped at the maximum. */
    private static void assertBackoff(int retry, Duration delay) {
        Duration full = ReplicationRegistries.INITIAL_BACKOFF.multipliedBy(1L << (retry - 1));
        Duration cap = full.compareTo(ReplicationRegistries.MAX_BACKOFF) > 0 ? ReplicationRegistries.MAX_BACKOFF : full;
        assertTrue(delay.compareTo(cap.dividedBy(2)) >= 0 && delay.compareTo(cap) <= 0,
                "retry " + retry + " waits " + delay + ", not within [" + cap.dividedBy(2) + ", " + cap + "]");
    }

    private void assertServedWithoutUpstream(DistributionRegistry mirror, PushedArtifact artifact) {
        var client = mirror.anonymousClient();
        RegistryResponse byTag = client.getManifest(artifact.repository(), artifact.tag(), ALL_MANIFEST_TYPES);
        assertEquals(200, byTag.status(), () -> artifact.reference() + " by tag: " + byTag);
        assertEquals(artifact.manifest().digest(), byTag.bodyDigest());
        for (String manifest : artifact.manifestDigestsFor(AMD64)) {
            RegistryResponse response = client.getManifest(artifact.repository(), manifest, ALL_MANIFEST_TYPES);
            assertEquals(200, response.status(), () -> "manifest " + manifest + ": " + response);
            assertEquals(manifest, response.bodyDigest());
        }
        for (String blob : artifact.blobDigestsFor(AMD64)) {
            RegistryResponse response = client.getBlob(artifact.repository(), blob);
            assertEquals(200, response.status(), () -> "blob " + blob + ": " + response);
            assertEquals(blob, response.bodyDigest());
        }
    }

    private Admission admitPod(boolean dryRun, String... images) {
        WebhookClient client = new WebhookClient(url);
        ObjectNode pod = (ObjectNode) client.read("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\"}}");
        ArrayNode containers = pod.putObject("spec").putArray("containers");
        for (int i = 0; i < images.length; i++) {
            containers.addObject().put("name", "c" + i).put("image", images[i]);
        }
        return client.admit(client.review("", "v1", "pods", null, "CREATE", "replication", pod, null, dryRun));
    }

    private void admitPluginDefinition(String repository, String name, String version) {
        WebhookClient client = new WebhookClient(url);
        ObjectNode object = (ObjectNode) client.read("{\"apiVersion\":\"greenhouse.sap/v1alpha1\",\"kind\":\"PluginDefinition\","
                + "\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\"replication\"}}");
        object.putObject("spec").putObject("helmChart").put("name", name).put("repository", repository)
                .put("version", version);
        Admission admission = client.admit(client.review("greenhouse.sap", "v1alpha1", "plugindefinitions", null,
                "CREATE", "replication", object, null, false));
        JsonNode mutated = admission.applyTo(object);
        assertFalse(admission.isEmpty(), () -> "chart repository not rewritten: " + mutated);
    }

    private double jobs(String mirror, String outcome) {
        // Summed: a meter of an earlier application in this JVM may carry the same source with another mirror host.
        return meters.find(ReplicationMetrics.JOBS_METRIC).tags("source_registry", mirror, "outcome", outcome)
                .counters().stream().mapToDouble(Counter::count).sum();
    }

    private double counter(String name, String mirror) {
        return meters.find(name).tags("source_registry", mirror).counters().stream().mapToDouble(Counter::count).sum();
    }

    private static void await(BooleanSupplier condition, String what) {
        Await.until(LIMIT, condition, what);
    }

    private static void await(BooleanSupplier condition, Supplier<String> what) {
        Await.until(LIMIT, condition, what);
    }
}

package io.ocimirror.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ocimirror.config.MirrorConfiguration;
import io.ocimirror.reference.ImageReference;
import io.ocimirror.rewrite.ReplicationRequest;
import io.ocimirror.settings.WebhookSettings;
import io.ocimirror.testing.Await;
import io.ocimirror.testing.Configurations;
import io.ocimirror.testing.LogCapture;
import io.ocimirror.testing.registry.Descriptor;
import io.ocimirror.testing.registry.DistributionRegistry;
import io.ocimirror.testing.registry.MediaTypes;
import io.ocimirror.testing.registry.PushedArtifact;
import io.ocimirror.testing.registry.TestContent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code replication.referrers}, a mirror's own and the top-level default, against real Docker Distribution 2.8
 * registries: an upstream holding a signed image (cosign's {@code .sig} and {@code .att} tags, and an OCI 1.1 artifact
 * listed by the referrers tag schema's index) and an unsigned one, warmed through a fresh pull-through mirror per test. Distribution 2.8 answers the referrers API with
 * 404, so this is the fallback path; {@link ReferrersApiTest} covers registries that have the API.
 */
class ReferrersReplicationTest {

    private static final Duration LIMIT = Duration.ofSeconds(30);
    private static final String SIGNED = "signed/app";
    private static final String UNSIGNED = "unsigned/app";

    private static DistributionRegistry upstream;
    private static PushedArtifact signedImage;
    private static PushedArtifact unsignedImage;
    private static List<PushedArtifact> signatures;
    private static Descriptor referrersIndex;

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final RecordingReporter reporter = new RecordingReporter();
    private final VirtualTime time = new VirtualTime();
    private final WebhookSettings settings = TestSettings.with(Map.of());
    private DistributionRegistry mirror;
    private ExecutorService threads;
    private MirrorHealth health;
    private ReplicationQueue queue;
    private LogCapture log;

    @BeforeAll
    static void pushContent() {
        upstream = DistributionRegistry.upstream().start();
        TestContent content = TestContent.to(upstream);
        signedImage = content.pushOciImage(SIGNED, "1.0", TestContent.LINUX_AMD64);
        unsignedImage = content.pushOciImage(UNSIGNED, "1.0", TestContent.LINUX_AMD64);
        String base = "sha256-" + signedImage.manifest().hex();
        PushedArtifact signature = content.pushCosignArtifact(SIGNED, base + ".sig",
                "application/vnd.dev.cosign.simplesigning.v1+json", bytes("{\"critical\":{}}"));
        PushedArtifact attestation = content.pushCosignArtifact(SIGNED, base + ".att",
                "application/vnd.dsse.envelope.v1+json", bytes("{\"payloadType\":\"application/vnd.in-toto+json\"}"));
        PushedArtifact sbom = content.pushReferrer(SIGNED, signedImage.manifest(), "application/spdx+json",
                bytes("{\"spdxVersion\":\"SPDX-2.3\"}"));
        referrersIndex = content.pushReferrersTag(SIGNED, signedImage.manifest(), List.of(sbom),
                "application/spdx+json");
        signatures = List.of(signature, attestation, sbom);
    }

    @AfterAll
    static void stopUpstream() {
        if (upstream != null) {
            upstream.close();
        }
    }

    @BeforeEach
    void start() {
        mirror = DistributionRegistry.proxyOf(upstream).start();
        threads = Executors.newFixedThreadPool(2);
        health = new MirrorHealth(settings, meters, time::nanoTime);
        queue = new ReplicationQueue(settings, TestClients.of(settings, time::nanoTime), reporter, health, meters,
                new ReplicationQueue.Threads(threads, time, threads::shutdownNow), time::nanoTime, () -> 1.0);
        log = LogCapture.install();
    }

    @AfterEach
    void stop() {
        Logger.getLogger("").removeHandler(log);
        threads.shutdownNow();
        mirror.close();
    }

    static Stream<Arguments> referrersSettings() {
        return Stream.of(
                Arguments.of("on", "", "true", true),
                Arguments.of("off", "", "false", false),
                Arguments.of("on for the mirror, off by default", ", replication: {referrers: true}", "false", true));
    }

    @ParameterizedTest(name = "referrers {0}")
    @MethodSource("referrersSettings")
    void warmsSignaturesAttestationsAndListedReferrersOnlyWhenAskedTo(String name, String inMirror, String topLevel,
            boolean referrers) throws Exception {
        warm(SIGNED, inMirror, topLevel);

        assertEquals(List.of(), missingAfterWarming(signedImage), "the image");
        for (PushedArtifact signature : signatures) {
            List<String> missing = missingAfterWarming(signature);
            assertEquals(referrers, missing.isEmpty(), signature.tag() + " cached, missing: " + missing);
        }
        assertEquals(referrers, mirror.hasManifestRevision(SIGNED, referrersIndex.digest()), "the referrers index");
        if (!referrers) {
            assertEquals(List.of(), mirror.requests().stream()
                    .filter(request -> request.path().contains("sha256-") || request.path().contains("/referrers/"))
                    .toList(), "nothing extra asked for");
        }
        assertEquals(1, jobs("succeeded"));
        assertEquals(List.of(), log.atLeast(Level.WARNING));
    }

    @Test
    void findsNothingForAnUnsignedImageWithoutWarningOrFailure() throws Exception {
        warm(UNSIGNED, true);

        String base = "sha256-" + unsignedImage.manifest().hex();
        List<String> lookups = mirror.requests().stream()
                .filter(request -> request.path().contains(base) || request.path().contains("/referrers/"))
                .map(request -> request.status() + " " + request.path().replace(base, "<digest>")
                        .replace(unsignedImage.manifest().digest(), "<digest>"))
                .toList();
        assertEquals(List.of(
                "404 /v2/unsigned/app/referrers/<digest>",
                "404 /v2/unsigned/app/manifests/<digest>",
                "404 /v2/unsigned/app/manifests/<digest>.sig",
                "404 /v2/unsigned/app/manifests/<digest>.att",
                "404 /v2/unsigned/app/manifests/<digest>.sbom"), lookups);
        assertEquals(1, jobs("succeeded"));
        assertEquals(0, jobs("failed"));
        assertEquals(Map.of(mirror.hostPort(), "available"), health.describe(), "no failure counted");
        assertEquals(List.of(), log.atLeast(Level.WARNING));
        assertEquals(1, log.containing("referrers (none listed): 0 artifacts").size(), () -> log.containing("Warmed")
                .toString());
    }

    /**
     * The image and the referrers tag's index are cached, the listed artifact is not, and the upstream is down: the
     * mirror answers the artifact with 500 (an uncached tag would be a 404: Distribution then looks only at its own
     * tags).
     */
    @Test
    void keepsTheWarmImageSucceededWhenItsReferrersCannotBeFetched() throws Exception {
        warm(SIGNED, false);
        assertEquals(200, mirror.client().getManifest(SIGNED, "sha256-" + signedImage.manifest().hex(),
                List.of(MediaTypes.OCI_INDEX)).status(), "the referrers tag cached");
        upstream.stop();
        try {
            // The same queue: a job with referrers is not the job without them that it remembers as succeeded.
            warm(SIGNED, true);
        } finally {
            upstream.start();
        }

        assertEquals(2, jobs("succeeded"), "the image is cached: the second job warms it from the mirror");
        assertEquals(0, jobs("failed"));
        assertEquals(Map.of(mirror.hostPort(), "available"), health.describe(), "no failure counted");
        List<String> warnings = log.containing("warmed the image, not all of its referrers");
        assertEquals(1, warnings.size(), () -> log.atLeast(Level.WARNING).toString());
        assertTrue(warnings.get(0).contains("HTTP 500"), warnings.get(0));
        assertEquals(1, log.containing("referrers (the referrers tag): 0 artifacts").size(),
                () -> log.containing("Warmed").toString());
        assertFalse(mirror.requests().stream().anyMatch(request -> request.path().endsWith(".sig")),
                "the mirror failed: the cosign tags were not tried");
    }

    private void warm(String repository, boolean referrers) throws Exception {
        warm(repository, "", String.valueOf(referrers));
    }

    /**
     * Warms a reference through the mirror as the configuration has it.
     *
     * @param inMirror what follows {@code baseDomain} in the mirror's entry
     * @param topLevel the top-level {@code replication.referrers}
     */
    private void warm(String repository, String inMirror, String topLevel) throws Exception {
        MirrorConfiguration configuration = Configurations.parse("""
                registryMirrors: {upstream.test: {baseDomain: "%s", insecure: true%s}}
                replication: {referrers: %s}
                """.formatted(mirror.hostPort(), inMirror, topLevel));
        queue.schedule(new ReplicationRequest(ImageReference.parse(mirror.hostPort() + "/" + repository + ":1.0"),
                configuration.mirrorFor("upstream.test").orElseThrow(), configuration, Optional.empty()));
        Await.until(LIMIT, () -> queue.depth() == 0, "the job to end");
    }

    /** The manifest and blobs of an artifact the mirror lacks, once blobs cached in the background have landed. */
    private List<String> missingAfterWarming(PushedArtifact artifact) {
        List<String> missing = new ArrayList<>();
        if (!mirror.hasManifestRevision(artifact.repository(), artifact.manifest().digest())) {
            missing.add("manifest " + artifact.manifest().digest());
        }
        for (String blob : artifact.blobDigests()) {
            if (!mirror.awaitBlob(blob, missing.isEmpty() ? LIMIT : Duration.ZERO)) {
                missing.add("blob " + blob);
            }
        }
        return missing;
    }

    private double jobs(String outcome) {
        Counter counter = meters.find(ReplicationMetrics.JOBS_METRIC).tag("outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}

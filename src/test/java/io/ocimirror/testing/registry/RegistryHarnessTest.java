package io.ocimirror.testing.registry;

import static io.ocimirror.testing.registry.TestContent.LINUX_AMD64;
import static io.ocimirror.testing.registry.TestContent.LINUX_ARM64;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry harness against a real Docker Distribution 2.8, and the proxy-cache facts of DESIGN section 6 that
 * the replication walk relies on.
 */
class RegistryHarnessTest {

    /** A proxy stores a served blob in the background; it lands on disk well within this. */
    private static final Duration BLOB_ARRIVAL = Duration.ofSeconds(10);
    private static final Credentials MIRROR_USER = new Credentials("mirror-user", "mirror-secret");

    private static DistributionRegistry upstream;
    private static TestContent.Pushed content;

    @BeforeAll
    static void pushContentToUpstream() {
        upstream = DistributionRegistry.upstream().start();
        content = TestContent.to(upstream).pushAll();
    }

    @AfterAll
    static void closeUpstream() {
        if (upstream != null) {
            upstream.close();
        }
    }

    @Test
    void registriesListenOnLoopbackOnly() throws IOException {
        try (DistributionRegistry mirror = DistributionRegistry.proxyOf(upstream).start()) {
            String config = Files.readString(mirror.configFile());
            assertAll(
                    () -> assertEquals("127.0.0.1", upstream.baseUrl().getHost()),
                    () -> assertEquals("127.0.0.1:" + mirror.port(), mirror.hostPort()),
                    () -> assertTrue(config.contains("addr: \"127.0.0.1:" + mirror.port() + "\""), config),
                    () -> assertTrue(config.contains("remoteurl: \"http://127.0.0.1:" + upstream.port() + "\""),
                            config));
        }
    }

    @Test
    void aRegistryThatCannotStartSaysWhyWithItsLog() throws IOException {
        try (DistributionRegistry registry = DistributionRegistry.upstream();
                ServerSocket squatter = new ServerSocket(registry.port(), 1,
                        InetAddress.getByAddress(new byte[] {127, 0, 0, 1}))) {
            IllegalStateException failure = assertThrows(IllegalStateException.class, registry::start);
            assertTrue(failure.getMessage().contains("address already in use"), failure.getMessage());
            assertFalse(registry.isRunning());
        }
    }

    @Test
    void upstreamServesEveryPushedManifestAndBlob() {
        RegistryTestClient client = upstream.client();
        PushedArtifact ociImage = TestContent.to(upstream).pushOciImage("library/oci-app", "1.0", LINUX_ARM64);
        List<PushedArtifact> artifacts = new ArrayList<>(content.all());
        artifacts.add(ociImage);
        List<Executable> checks = new ArrayList<>();
        checks.add(() -> assertEquals(MediaTypes.OCI_MANIFEST, ociImage.manifest().mediaType()));
        for (PushedArtifact artifact : artifacts) {
            checks.add(() -> assertManifest(client.getManifest(artifact.repository(), artifact.tag()),
                    artifact.manifest()));
            checks.add(() -> assertTrue(upstream.hasTag(artifact.repository(), artifact.tag()), artifact.reference()));
            for (ImageManifest image : artifact.images()) {
                checks.add(() -> assertManifest(client.getManifest(artifact.repository(), image.manifest().digest()),
                        image.manifest()));
                checks.add(() -> assertTrue(upstream.hasManifestRevision(artifact.repository(),
                        image.manifest().digest()), image.manifest().digest()));
                for (String blob : image.blobDigests()) {
                    checks.add(() -> assertBlob(client.getBlob(artifact.repository(), blob), blob));
                    checks.add(() -> assertTrue(upstream.hasBlob(blob), blob));
                }
            }
        }
        assertAll(checks);
    }

    @Test
    void contentDescribesEachKindOfArtifact() {
        Set<String> amd64 = Set.of(LINUX_AMD64);
        PushedArtifact oci = content.ociIndex();
        PushedArtifact chart = content.helmChart();
        assertAll(
                () -> assertEquals(MediaTypes.DOCKER_MANIFEST, content.singleImage().manifest().mediaType()),
                () -> assertEquals(MediaTypes.OCI_INDEX, oci.manifest().mediaType()),
                () -> assertEquals(MediaTypes.DOCKER_MANIFEST_LIST, content.dockerManifestList().manifest().mediaType()),
                () -> assertEquals(MediaTypes.OCI_MANIFEST, oci.image(LINUX_ARM64).manifest().mediaType()),
                () -> assertEquals(MediaTypes.DOCKER_MANIFEST,
                        content.dockerManifestList().image(LINUX_AMD64).manifest().mediaType()),
                () -> assertEquals(MediaTypes.HELM_CONFIG, chart.images().get(0).config().mediaType()),
                () -> assertEquals(List.of(MediaTypes.HELM_CHART),
                        chart.images().get(0).layers().stream().map(Descriptor::mediaType).toList()),
                () -> assertEquals(List.of(oci.manifest().digest(), oci.image(LINUX_AMD64).manifest().digest()),
                        oci.manifestDigestsFor(amd64)),
                () -> assertEquals(List.of(oci.image(LINUX_ARM64)), oci.imagesNotFor(amd64)),
                () -> assertEquals(3, oci.image(LINUX_AMD64).blobDigests().size()),
                () -> assertEquals(content.singleImage().blobDigests(),
                        content.singleImage().blobDigestsFor(Set.of(LINUX_ARM64))),
                // 3 blobs for the single image, 6 for each two-platform artifact, 2 for the chart, none shared
                () -> assertEquals(17, content.all().stream().flatMap(a -> a.blobDigests().stream()).distinct()
                        .count(), "every artifact has blobs of its own"));
    }

    @Test
    void aManifestGetThroughTheMirrorCachesThatManifestOnly() {
        PushedArtifact app = content.singleImage();
        try (DistributionRegistry mirror = DistributionRegistry.proxyOf(upstream).start()) {
            RegistryResponse response = mirror.client().getManifest(app.repository(), app.tag(),
                    List.of(MediaTypes.OCI_INDEX, MediaTypes.DOCKER_MANIFEST_LIST, MediaTypes.OCI_MANIFEST,
                            MediaTypes.DOCKER_MANIFEST));
            assertManifest(response, app.manifest());
            List<Executable> checks = new ArrayList<>();
            checks.add(() -> assertTrue(mirror.hasManifestRevision(app.repository(), app.manifest().digest()),
                    "manifest revision"));
            checks.add(() -> assertTrue(mirror.hasBlob(app.manifest().digest()), "manifest content"));
            for (String blob : app.blobDigests()) {
                checks.add(() -> assertFalse(mirror.hasBlob(blob), "blob not fetched, not cached: " + blob));
            }
            checks.add(() -> assertEquals(1, mirror.awaitRequests(manifestGet(app), 1, BLOB_ARRIVAL).size(),
                    "the mirror logged the GET"));
            checks.add(() -> assertEquals(List.of(), mirror.requests().stream()
                    .filter(request -> request.path().contains("/blobs/")).toList(), "no blob requests"));
            assertAll(checks);
        }
    }

    @Test
    void anIndexGetThroughTheMirrorDoesNotCacheItsChildren() {
        PushedArtifact oci = content.ociIndex();
        try (DistributionRegistry mirror = DistributionRegistry.proxyOf(upstream).start()) {
            assertManifest(mirror.client().getManifest(oci.repository(), oci.tag()), oci.manifest());
            List<Executable> checks = new ArrayList<>();
            checks.add(() -> assertTrue(mirror.hasManifestRevision(oci.repository(), oci.manifest().digest())));
            for (ImageManifest child : oci.images()) {
                checks.add(() -> assertFalse(mirror.hasManifestRevision(oci.repository(), child.manifest().digest()),
                        "child " + child.platform()));
            }
            assertAll(checks);

            ImageManifest amd64 = oci.image(LINUX_AMD64);
            assertManifest(mirror.client().getManifest(oci.repository(), amd64.manifest().digest()),
                    amd64.manifest());
            assertAll(
                    () -> assertTrue(mirror.hasManifestRevision(oci.repository(), amd64.manifest().digest())),
                    () -> assertFalse(mirror.hasManifestRevision(oci.repository(),
                            oci.image(LINUX_ARM64).manifest().digest())));
        }
    }

    @Test
    void aBlobGetOrHeadThroughTheMirrorCachesThatBlob() {
        ImageManifest image = content.dockerManifestList().image(LINUX_AMD64);
        String repository = content.dockerManifestList().repository();
        String layer = image.layers().get(0).digest();
        String config = image.config().digest();
        try (DistributionRegistry mirror = DistributionRegistry.proxyOf(upstream).start()) {
            assertBlob(mirror.client().getBlob(repository, layer), layer);
            assertTrue(mirror.awaitBlob(layer, BLOB_ARRIVAL), "layer cached after GET");

            RegistryResponse head = mirror.client().headBlob(repository, config);
            assertEquals(200, head.status(), head::toString);
            assertTrue(mirror.awaitBlob(config, BLOB_ARRIVAL), "config cached after HEAD");

            String otherLayer = image.layers().get(1).digest();
            assertFalse(mirror.hasBlob(otherLayer), "a blob nobody asked for");
        }
    }

    @Test
    void whileTheUpstreamIsDownTheMirrorServesWhatItCachedOnly() {
        PushedArtifact app = content.singleImage();
        ImageManifest image = app.images().get(0);
        String cachedBlob = image.layers().get(0).digest();
        String uncachedBlob = image.layers().get(1).digest();
        try (DistributionRegistry mirror = DistributionRegistry.proxyOf(upstream).start()) {
            RegistryTestClient client = mirror.client();
            assertManifest(client.getManifest(app.repository(), app.tag()), app.manifest());
            assertBlob(client.getBlob(app.repository(), cachedBlob), cachedBlob);
            assertTrue(mirror.awaitBlob(cachedBlob, BLOB_ARRIVAL));

            upstream.stop();
            try {
                assertFalse(upstream.isRunning());
                assertAll(
                        () -> assertManifest(client.getManifest(app.repository(), app.tag()), app.manifest()),
                        () -> assertManifest(client.getManifest(app.repository(), app.manifest().digest()),
                                app.manifest()),
                        () -> assertBlob(client.getBlob(app.repository(), cachedBlob), cachedBlob),
                        () -> {
                            RegistryResponse uncached = client.getBlob(app.repository(), uncachedBlob);
                            assertEquals(500, uncached.status(), uncached::toString);
                        });
            } finally {
                upstream.start();
            }
            assertBlob(client.getBlob(app.repository(), uncachedBlob), uncachedBlob);
        }
    }

    @Test
    void aFullWalkForOnePlatformWarmsExactlyThatPlatform() {
        Set<String> amd64 = Set.of(LINUX_AMD64);
        try (DistributionRegistry mirror = DistributionRegistry.proxyOf(upstream).start()) {
            RegistryTestClient client = mirror.client();
            for (PushedArtifact artifact : content.all()) {
                walk(client, artifact, amd64);
            }
            for (PushedArtifact artifact : content.all()) {
                for (String blob : artifact.blobDigestsFor(amd64)) {
                    assertTrue(mirror.awaitBlob(blob, BLOB_ARRIVAL), artifact.reference() + " " + blob);
                }
            }

            upstream.stop();
            try {
                List<Executable> checks = new ArrayList<>();
                for (PushedArtifact artifact : content.all()) {
                    checks.add(() -> assertEquals(List.of(), mirror.missingFor(artifact, amd64),
                            artifact.reference() + " missing"));
                    checks.add(() -> assertEquals(List.of(), mirror.cachedBeyond(artifact, amd64),
                            artifact.reference() + " cached beyond linux/amd64"));
                    checks.add(() -> assertManifest(client.getManifest(artifact.repository(), artifact.tag()),
                            artifact.manifest()));
                    for (ImageManifest image : artifact.imagesFor(amd64)) {
                        checks.add(() -> assertManifest(client.getManifest(artifact.repository(),
                                image.manifest().digest()), image.manifest()));
                        for (String blob : image.blobDigests()) {
                            checks.add(() -> assertBlob(client.getBlob(artifact.repository(), blob), blob));
                        }
                    }
                    for (ImageManifest image : artifact.imagesNotFor(amd64)) {
                        checks.add(() -> assertEquals(500, client.getManifest(artifact.repository(),
                                image.manifest().digest()).status(), image.platform() + " manifest"));
                        checks.add(() -> assertEquals(500, client.getBlob(artifact.repository(),
                                image.config().digest()).status(), image.platform() + " config"));
                    }
                }
                assertAll(checks);
            } finally {
                upstream.start();
            }
        }
    }

    /** What DESIGN section 6 asks of a replication job, done by hand: the manifest, the platform's children, blobs. */
    private static void walk(RegistryTestClient client, PushedArtifact artifact, Set<String> platforms) {
        assertManifest(client.getManifest(artifact.repository(), artifact.tag()), artifact.manifest());
        for (ImageManifest image : artifact.imagesFor(platforms)) {
            if (artifact.isIndex()) {
                assertManifest(client.getManifest(artifact.repository(), image.manifest().digest()),
                        image.manifest());
            }
            for (String blob : image.blobDigests()) {
                assertBlob(client.getBlob(artifact.repository(), blob), blob);
            }
        }
    }

    @Test
    void withoutTheRightAcceptTheMirrorDowngradesOrHidesManifests() {
        PushedArtifact app = content.singleImage();
        PushedArtifact oci = content.ociIndex();
        try (DistributionRegistry mirror = DistributionRegistry.proxyOf(upstream).start()) {
            RegistryTestClient client = mirror.client();
            RegistryResponse schema1 = client.getManifest(app.repository(), app.tag(), List.of());
            RegistryResponse index = client.getManifest(oci.repository(), oci.tag(),
                    List.of(MediaTypes.DOCKER_MANIFEST));
            assertAll(
                    () -> assertEquals(200, schema1.status(), schema1::toString),
                    () -> assertEquals("application/vnd.docker.distribution.manifest.v1+prettyjws",
                            schema1.contentType().orElse(""), schema1::toString),
                    () -> assertEquals(404, index.status(), index::toString));
        }
    }

    @Test
    void theMirrorIsReadOnly() {
        try (DistributionRegistry mirror = DistributionRegistry.proxyOf(upstream).start()) {
            RegistryResponse push = mirror.client().send("POST", "/v2/library/app/blobs/uploads/", Map.of(),
                    new byte[0]);
            assertEquals(405, push.status(), push::toString);
        }
    }

    @Test
    void aProxyDoesNotStartBeforeItsUpstream() {
        try (DistributionRegistry stopped = DistributionRegistry.upstream();
                DistributionRegistry mirror = DistributionRegistry.proxyOf(stopped)) {
            IllegalStateException refused = assertThrows(IllegalStateException.class, mirror::start);
            assertTrue(refused.getMessage().contains("panics at start"), refused.getMessage());
            assertFalse(mirror.isRunning());
        }
    }

    @Test
    void anHtpasswdMirrorWantsBasicCredentials() {
        PushedArtifact app = content.singleImage();
        try (DistributionRegistry mirror =
                DistributionRegistry.proxyOf(upstream, RegistryAuth.basic("mirror-user", "mirror-secret")).start()) {
            RegistryResponse anonymous = mirror.anonymousClient().getManifest(app.repository(), app.tag());
            RegistryResponse wrong = mirror.anonymousClient()
                    .withCredentials(new Credentials("mirror-user", "wrong")).getManifest(app.repository(), app.tag());
            RegistryResponse right = mirror.anonymousClient().withCredentials(MIRROR_USER)
                    .getManifest(app.repository(), app.tag());
            assertAll(
                    () -> assertEquals(401, anonymous.status(), anonymous::toString),
                    () -> assertTrue(anonymous.header("WWW-Authenticate").orElse("").startsWith("Basic "),
                            anonymous::toString),
                    () -> assertEquals(401, wrong.status(), wrong::toString),
                    () -> assertManifest(right, app.manifest()));
        }
    }

    @Test
    void aTokenMirrorWantsABearerTokenFromItsRealm() {
        PushedArtifact app = content.singleImage();
        try (DistributionRegistry mirror =
                DistributionRegistry.proxyOf(upstream, RegistryAuth.bearer("mirror-user", "mirror-secret")).start()) {
            TokenServer tokens = mirror.tokenServer().orElseThrow();
            RegistryTestClient anonymous = mirror.anonymousClient();
            RegistryResponse refused = anonymous.getManifest(app.repository(), app.tag());
            assertEquals(401, refused.status(), refused::toString);
            BearerChallenge challenge = refused.header("WWW-Authenticate").flatMap(BearerChallenge::parse)
                    .orElseThrow(() -> new AssertionError("no Bearer challenge: " + refused.headers()));
            assertAll(
                    () -> assertEquals(tokens.realm().toString(), challenge.realm()),
                    () -> assertEquals(tokens.service(), challenge.service().orElse("")),
                    () -> assertEquals("repository:library/app:pull", challenge.scope().orElse("")));

            RegistryResponse tokenWithoutCredentials = anonymous.exchange("GET", challenge.tokenUri(), Map.of(), null);
            assertEquals(401, tokenWithoutCredentials.status(), tokenWithoutCredentials::toString);

            String token = anonymous.withCredentials(MIRROR_USER).fetchToken(challenge);
            assertManifest(withToken(anonymous, app.repository(), app.tag(), token), app.manifest());

            PushedArtifact oci = content.ociIndex();
            RegistryResponse otherRepository = withToken(anonymous, oci.repository(), oci.tag(), token);
            assertEquals(401, otherRepository.status(), otherRepository::toString);
            assertTrue(otherRepository.header("WWW-Authenticate").orElse("").contains("insufficient_scope"),
                    otherRepository::toString);

            assertManifest(mirror.client().getManifest(oci.repository(), oci.tag()), oci.manifest());
            assertEquals(2, tokens.issuedTokens());
        }
    }

    @Test
    void aTokenFromAnUntrustedSignerIsRefused(@TempDir Path directory) {
        PushedArtifact app = content.singleImage();
        try (DistributionRegistry mirror =
                DistributionRegistry.proxyOf(upstream, RegistryAuth.bearer("mirror-user", "mirror-secret")).start();
                TokenServer impostor = TokenServer.startWithNewKey(directory, mirror.tokenServer().orElseThrow().service(),
                        mirror.tokenServer().orElseThrow().issuer(), MIRROR_USER)) {
            String forged = impostor.token("mirror-user", List.of("repository:" + app.repository() + ":pull"));
            RegistryResponse response = withToken(mirror.anonymousClient(), app.repository(), app.tag(), forged);
            assertEquals(401, response.status(), response::toString);
        }
    }

    @Test
    void aProxyLogsInToATokenUpstreamWithItsCredentials() {
        try (DistributionRegistry protectedUpstream =
                DistributionRegistry.upstream(RegistryAuth.bearer("upstream-user", "upstream-secret")).start()) {
            PushedArtifact chart = TestContent.to(protectedUpstream).pushHelmChart("charts/podinfo", "6.5.0");
            assertEquals(401, protectedUpstream.anonymousClient().getManifest(chart.repository(), chart.tag())
                    .status());
            TokenServer upstreamTokens = protectedUpstream.tokenServer().orElseThrow();
            int tokensForPushing = upstreamTokens.issuedTokens();
            try (DistributionRegistry mirror = DistributionRegistry.proxyOf(protectedUpstream).start()) {
                assertManifest(mirror.client().getManifest(chart.repository(), chart.tag()), chart.manifest());
                assertTrue(upstreamTokens.issuedTokens() > tokensForPushing, "the proxy fetched a token");
                String layer = chart.images().get(0).layers().get(0).digest();
                assertBlob(mirror.client().getBlob(chart.repository(), layer), layer);
                assertTrue(mirror.awaitBlob(layer, BLOB_ARRIVAL));
            }
        }
    }

    @Test
    void aProxyOfABasicAuthUpstreamIsRefused() {
        try (DistributionRegistry basicUpstream = DistributionRegistry.upstream(RegistryAuth.basic("u", "p"))) {
            assertThrows(IllegalArgumentException.class, () -> DistributionRegistry.proxyOf(basicUpstream));
        }
    }

    private static Predicate<DistributionRegistry.Request> manifestGet(PushedArtifact artifact) {
        return request -> request.method().equals("GET") && request.status() == 200
                && request.path().equals("/v2/" + artifact.repository() + "/manifests/" + artifact.tag());
    }

    private static RegistryResponse withToken(RegistryTestClient client, String repository, String reference,
            String token) {
        return client.exchange("GET", client.baseUrl().resolve("/v2/" + repository + "/manifests/" + reference),
                Map.of("Authorization", "Bearer " + token, "Accept", String.join(", ", MediaTypes.ALL_MANIFESTS)),
                null);
    }

    private static void assertManifest(RegistryResponse response, Descriptor expected) {
        assertAll(
                () -> assertEquals(200, response.status(), response::toString),
                () -> assertEquals(expected.mediaType(), response.contentType().orElse(""), response::toString),
                () -> assertEquals(expected.digest(), response.bodyDigest(), response::toString),
                () -> assertEquals(expected.digest(), response.dockerContentDigest().orElse(""),
                        response::toString));
    }

    private static void assertBlob(RegistryResponse response, String digest) {
        assertAll(
                () -> assertEquals(200, response.status(), response::toString),
                () -> assertEquals(digest, response.bodyDigest(), response::toString));
    }
}

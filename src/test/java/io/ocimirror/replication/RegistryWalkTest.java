package io.ocimirror.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ocimirror.config.MirrorConfiguration.ReplicationScope;
import io.ocimirror.config.Platform;
import io.ocimirror.config.ReplicationMode;
import io.ocimirror.reference.ImageReference;
import io.ocimirror.registry.Manifest;
import io.ocimirror.registry.ManifestReader;
import io.ocimirror.registry.RegistryAccess;
import io.ocimirror.registry.RegistryAccessException.Failure;
import io.ocimirror.registry.RegistryAccessException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RegistryWalkTest {

    private static final String INDEX = digest('1');
    private static final String AMD64 = digest('2');
    private static final String ARM64 = digest('3');
    private static final String CONFIG_AMD64 = digest('4');
    private static final String CONFIG_ARM64 = digest('5');
    private static final String SHARED_LAYER = digest('6');
    private static final String ARM_LAYER = digest('7');

    private static final ReplicationScope LINUX_AMD64 = new ReplicationScope(ReplicationMode.FULL,
            List.of(new Platform("linux", "amd64", Optional.empty())));

    /** Records every request, answers from a map. */
    private final FakeRegistry registry = new FakeRegistry();

    @Test
    void fetchesTheIndexTheChildOfTheConfiguredPlatformAndItsBlobs() throws Exception {
        RegistryWalk.Result result = RegistryWalk.walk(registry, reference("m.example.com/team/app:1.0"), LINUX_AMD64);

        assertEquals(List.of("manifest team/app:1.0", "manifest team/app:" + AMD64, "blob " + CONFIG_AMD64,
                "blob " + SHARED_LAYER), registry.requests);
        assertEquals(new RegistryWalk.Result(INDEX, 2, 2, 20, 0, 0, 0), result);
    }

    @Test
    void fetchesEveryPlatformWhenAllAreConfiguredAndEachBlobOnce() throws Exception {
        RegistryWalk.walk(registry, reference("m.example.com/team/app:1.0"),
                new ReplicationScope(ReplicationMode.FULL, List.of()));

        // The children of an index are all asked for before their blobs, so that they can be fetched at once.
        assertEquals(List.of("manifest team/app:1.0", "manifest team/app:" + AMD64, "manifest team/app:" + ARM64,
                "blob " + CONFIG_AMD64, "blob " + SHARED_LAYER, "blob " + CONFIG_ARM64, "blob " + ARM_LAYER),
                registry.requests);
    }

    static Stream<Arguments> indexEntries() {
        return Stream.of(
                // name, the index's entries, configured platforms, children fetched
                Arguments.of("an entry without platform, for any platform",
                        List.of(new Manifest.Child(AMD64, "", "", "")), "linux/arm64", List.of(AMD64)),
                Arguments.of("entries with and without platform",
                        List.of(new Manifest.Child(ARM64, "linux", "arm64", "v8"), new Manifest.Child(AMD64, "", "", "")),
                        "linux/arm64", List.of(ARM64, AMD64)),
                Arguments.of("arm64/v8 is arm64",
                        List.of(new Manifest.Child(ARM64, "linux", "arm64", "v8"),
                                new Manifest.Child(AMD64, "linux", "amd64", "v1")),
                        "linux/arm64", List.of(ARM64)),
                Arguments.of("amd64/v1 is amd64",
                        List.of(new Manifest.Child(ARM64, "linux", "arm64", "v8"),
                                new Manifest.Child(AMD64, "linux", "amd64", "v1")),
                        "linux/amd64", List.of(AMD64)),
                Arguments.of("an attestation names a platform of its own",
                        List.of(new Manifest.Child(AMD64, "unknown", "unknown", "")), "linux/amd64", List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedChildDigests")
    void refusesAChildDigestThatIsNoDigestBeforeItBecomesAUrl(String name, String child) {
        registry.manifests.put("3.0", index(INDEX, new Manifest.Child(child, "linux", "amd64", "")));

        RegistryAccessException refused = assertThrows(RegistryAccessException.class,
                () -> RegistryWalk.walk(registry, reference("m.example.com/team/app:3.0"), LINUX_AMD64));

        assertEquals(Failure.UNSUPPORTED, refused.failure());
        assertTrue(refused.getMessage().contains("lists a child manifest \"" + child + "\", which is not a digest"),
                refused.getMessage());
        assertEquals(List.of("manifest team/app:3.0"), registry.requests);
    }

    @Test
    void passesOverAMalformedChildDigestOfAnotherPlatform() throws Exception {
        registry.manifests.put("3.1", index(INDEX, new Manifest.Child("../../../v2/other/manifests/latest", "linux",
                "s390x", ""), new Manifest.Child(AMD64, "linux", "amd64", "")));

        RegistryWalk.walk(registry, reference("m.example.com/team/app:3.1"),
                new ReplicationScope(ReplicationMode.MANIFEST, LINUX_AMD64.platforms()));

        assertEquals(List.of("manifest team/app:3.1", "manifest team/app:" + AMD64), registry.requests);
    }

    static Stream<Arguments> malformedChildDigests() {
        return Stream.of(
                Arguments.of("a parent path", "../../../v2/other/manifests/latest"),
                Arguments.of("a parent path after a valid algorithm", "sha256:../../blobs/x"),
                Arguments.of("a tag", "latest"),
                Arguments.of("a short sha256 encoding", "sha256:abc"),
                Arguments.of("upper-case hex", "sha256:" + "A".repeat(64)),
                Arguments.of("a query", "sha256:" + "a".repeat(64) + "?x=1"),
                Arguments.of("empty", ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("indexEntries")
    void fetchesTheChildrenContainerdWouldPull(String name, List<Manifest.Child> entries, String platform,
            List<String> fetched) throws Exception {
        registry.manifests.put("2.0", index(INDEX, entries.toArray(Manifest.Child[]::new)));
        String[] parts = platform.split("/");
        ReplicationScope scope = new ReplicationScope(ReplicationMode.MANIFEST,
                List.of(new Platform(parts[0], parts[1], Optional.empty())));

        RegistryWalk.walk(registry, reference("m.example.com/team/app:2.0"), scope);

        assertEquals(fetched.stream().map(d -> "manifest team/app:" + d).toList(),
                registry.requests.subList(1, registry.requests.size()));
    }

    @Test
    void fetchesOnlyManifestsInManifestMode() throws Exception {
        RegistryWalk.walk(registry, reference("m.example.com/team/app:1.0"),
                new ReplicationScope(ReplicationMode.MANIFEST, LINUX_AMD64.platforms()));

        assertEquals(List.of("manifest team/app:1.0", "manifest team/app:" + AMD64), registry.requests);
    }

    @Test
    void asksByDigestWhenTheReferenceHasOneAndChecksIt() throws Exception {
        RegistryWalk.walk(registry, reference("m.example.com/team/app@" + AMD64), LINUX_AMD64);

        assertEquals("manifest team/app:" + AMD64, registry.requests.get(0));
        registry.manifests.put(ARM64, image(AMD64));
        RegistryAccessException error = assertThrows(RegistryAccessException.class,
                () -> RegistryWalk.walk(registry, reference("m.example.com/team/app@" + ARM64), LINUX_AMD64));
        assertEquals(Failure.INVALID_CONTENT, error.failure());
    }

    @Test
    void passesRegistryFailuresOn() {
        registry.manifests.clear();

        RegistryAccessException error = assertThrows(RegistryAccessException.class,
                () -> RegistryWalk.walk(registry, reference("m.example.com/team/app:1.0"), LINUX_AMD64));
        assertEquals(Failure.NOT_FOUND, error.failure());
    }

    @Test
    void warmsAPinnedTagByItsTagFirstAndWalksItWhenItStillNamesThePinnedDigest() throws Exception {
        RegistryWalk.Result result = RegistryWalk.walk(registry, reference("m.example.com/team/app:1.0@" + INDEX),
                LINUX_AMD64);

        assertEquals(List.of("manifest team/app:1.0", "manifest team/app:" + AMD64, "blob " + CONFIG_AMD64,
                "blob " + SHARED_LAYER), registry.requests);
        assertEquals(INDEX, result.manifest());
    }

    @Test
    void walksThePinnedDigestWhenTheTagHasMoved() throws Exception {
        RegistryWalk.Result result = RegistryWalk.walk(registry, reference("m.example.com/team/app:1.0@" + ARM64),
                LINUX_AMD64);

        assertEquals(List.of("manifest team/app:1.0", "manifest team/app:" + ARM64, "blob " + CONFIG_ARM64,
                "blob " + SHARED_LAYER, "blob " + ARM_LAYER), registry.requests);
        assertEquals(ARM64, result.manifest());
    }

    @Test
    void leavesForeignNonDistributableAndUrlLayersToTheRuntime() throws Exception {
        String foreign = digest('a');
        String nonDistributable = digest('b');
        String withUrls = digest('c');
        registry.manifests.put("win", new Manifest(digest('d'), ManifestReader.DOCKER_MANIFEST, List.of(), List.of(
                blob(CONFIG_AMD64, "application/vnd.docker.container.image.v1+json", List.of()),
                blob(foreign, "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip", List.of()),
                blob(nonDistributable, "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip", List.of()),
                blob(withUrls, "application/vnd.oci.image.layer.v1.tar+gzip", List.of("https://example.com/l")),
                blob(SHARED_LAYER, "application/vnd.oci.image.layer.v1.tar+gzip", List.of()))));

        RegistryWalk.Result result = RegistryWalk.walk(registry, reference("m.example.com/team/app:win"), LINUX_AMD64);

        assertEquals(List.of("manifest team/app:win", "blob " + CONFIG_AMD64, "blob " + SHARED_LAYER),
                registry.requests);
        assertEquals(3, result.skippedBlobs());
    }

    @Test
    void fetchesTheOtherBlobsWhenOneFailsAndThenReportsTheFailure() {
        registry.failingBlobs.put(CONFIG_ARM64, Failure.NOT_FOUND);

        RegistryAccessException error = assertThrows(RegistryAccessException.class,
                () -> RegistryWalk.walk(registry, reference("m.example.com/team/app:1.0"),
                        new ReplicationScope(ReplicationMode.FULL, List.of())));

        assertEquals(Failure.NOT_FOUND, error.failure());
        // The children of an index are all asked for before their blobs, so that they can be fetched at once.
        assertEquals(List.of("manifest team/app:1.0", "manifest team/app:" + AMD64, "manifest team/app:" + ARM64,
                "blob " + CONFIG_AMD64, "blob " + SHARED_LAYER, "blob " + CONFIG_ARM64, "blob " + ARM_LAYER),
                registry.requests);
    }

    @Test
    void stopsAtOnceWhenTheMirrorBecomesUnreachable() {
        registry.failingBlobs.put(CONFIG_AMD64, Failure.UNREACHABLE);

        RegistryAccessException error = assertThrows(RegistryAccessException.class,
                () -> RegistryWalk.walk(registry, reference("m.example.com/team/app:1.0"), LINUX_AMD64));

        assertEquals(Failure.UNREACHABLE, error.failure());
        assertEquals(List.of("manifest team/app:1.0", "manifest team/app:" + AMD64, "blob " + CONFIG_AMD64),
                registry.requests);
    }

    private static Manifest index(String digest, Manifest.Child... children) {
        return new Manifest(digest, ManifestReader.OCI_INDEX, List.of(children), List.of());
    }

    private static Manifest image(String digest, String... blobs) {
        return new Manifest(digest, ManifestReader.OCI_MANIFEST, List.of(), java.util.Arrays.stream(blobs)
                .map(blob -> blob(blob, "application/vnd.oci.image.layer.v1.tar+gzip", List.of())).toList());
    }

    private static Manifest.Blob blob(String digest, String mediaType, List<String> urls) {
        return new Manifest.Blob(digest, mediaType, 10, urls);
    }

    private static final class FakeRegistry implements RegistryAccess {
        final List<String> requests = new ArrayList<>();
        final Map<String, Failure> failingBlobs = new HashMap<>();
        final Map<String, Manifest> manifests = new HashMap<>(Map.of(
                "1.0", index(INDEX,
                        new Manifest.Child(AMD64, "linux", "amd64", ""),
                        new Manifest.Child(ARM64, "linux", "arm64", "v8"),
                        new Manifest.Child(digest('9'), "unknown", "unknown", "")),
                INDEX, index(INDEX, new Manifest.Child(AMD64, "linux", "amd64", "")),
                AMD64, image(AMD64, CONFIG_AMD64, SHARED_LAYER),
                ARM64, image(ARM64, CONFIG_ARM64, SHARED_LAYER, ARM_LAYER)));

        @Override
        public Manifest manifest(String repository, String reference) throws RegistryAccessException {
            requests.add("manifest " + repository + ":" + reference);
            Manifest manifest = manifests.get(reference);
            if (manifest == null) {
                throw new RegistryAccessException(Failure.NOT_FOUND, "no manifest " + reference);
            }
            return manifest;
        }

        @Override
        public Optional<Manifest> manifestIfPresent(String repository, String reference) {
            requests.add("manifest if present " + repository + ":" + reference);
            return Optional.ofNullable(manifests.get(reference));
        }

        @Override
        public Optional<Manifest> referrers(String repository, String digest) {
            requests.add("referrers " + repository + "@" + digest);
            return Optional.empty();
        }

        @Override
        public long blob(String repository, String digest, long size) throws RegistryAccessException {
            requests.add("blob " + digest);
            Failure failure = failingBlobs.get(digest);
            if (failure != null) {
                throw new RegistryAccessException(failure, "blob " + digest + " failed");
            }
            return 10;
        }

        @Override
        public List<String> tags(String repository) {
            requests.add("tags " + repository);
            return List.of("1.0");
        }
    }

    private static ImageReference reference(String text) {
        try {
            return ImageReference.parse(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static String digest(char hex) {
        return "sha256:" + String.valueOf(hex).repeat(64);
    }
}

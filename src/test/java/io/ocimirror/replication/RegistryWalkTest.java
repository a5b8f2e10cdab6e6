package io.ocimirror.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ocimirror.config.MirrorConfiguration.Replication;
import io.ocimirror.config.Platform;
import io.ocimirror.config.ReplicationMode;
import io.ocimirror.reference.ImageReference;
import io.ocimirror.replication.RegistryAccessException.Failure;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RegistryWalkTest {

    private static final String INDEX = digest('1');
    private static final String AMD64 = digest('2');
    private static final String ARM64 = digest('3');
    private static final String CONFIG_AMD64 = digest('4');
    private static final String CONFIG_ARM64 = digest('5');
    private static final String SHARED_LAYER = digest('6');
    private static final String ARM_LAYER = digest('7');

    private static final Replication LINUX_AMD64 = new Replication(ReplicationMode.FULL,
            List.of(new Platform("linux", "amd64", Optional.empty())));

    /** Records every request, answers from a map. */
    private final FakeRegistry registry = new FakeRegistry();

    @Test
    void fetchesTheIndexTheChildOfTheConfiguredPlatformAndItsBlobs() throws Exception {
        RegistryWalk.Result result = RegistryWalk.walk(registry, reference("m.example.com/team/app:1.0"), LINUX_AMD64);

        assertEquals(List.of("manifest team/app:1.0", "manifest team/app:" + AMD64, "blob " + CONFIG_AMD64,
                "blob " + SHARED_LAYER), registry.requests);
        assertEquals(new RegistryWalk.Result(2, 2, 20), result);
    }

    @Test
    void fetchesEveryPlatformWhenAllAreConfiguredAndEachBlobOnce() throws Exception {
        RegistryWalk.walk(registry, reference("m.example.com/team/app:1.0"),
                new Replication(ReplicationMode.FULL, List.of()));

        assertEquals(List.of("manifest team/app:1.0", "manifest team/app:" + AMD64, "blob " + CONFIG_AMD64,
                "blob " + SHARED_LAYER, "manifest team/app:" + ARM64, "blob " + CONFIG_ARM64, "blob " + ARM_LAYER),
                registry.requests);
    }

    @Test
    void fetchesOnlyManifestsInManifestMode() throws Exception {
        RegistryWalk.walk(registry, reference("m.example.com/team/app:1.0"),
                new Replication(ReplicationMode.MANIFEST, LINUX_AMD64.platforms()));

        assertEquals(List.of("manifest team/app:1.0", "manifest team/app:" + AMD64), registry.requests);
    }

    @Test
    void asksByDigestWhenTheReferenceHasOneAndChecksIt() throws Exception {
        RegistryWalk.walk(registry, reference("m.example.com/team/app:1.0@" + AMD64), LINUX_AMD64);

        assertEquals("manifest team/app:" + AMD64, registry.requests.get(0));
        registry.manifests.put(ARM64, new Manifest(AMD64, List.of(), List.of()));
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

    private static final class FakeRegistry implements RegistryAccess {
        final List<String> requests = new ArrayList<>();
        final Map<String, Manifest> manifests = new HashMap<>(Map.of(
                "1.0", new Manifest(INDEX, List.of(
                        new Manifest.Child(AMD64, "linux", "amd64", ""),
                        new Manifest.Child(ARM64, "linux", "arm64", "v8"),
                        new Manifest.Child(digest('9'), "unknown", "unknown", "")), List.of()),
                AMD64, new Manifest(AMD64, List.of(), List.of(CONFIG_AMD64, SHARED_LAYER)),
                ARM64, new Manifest(ARM64, List.of(), List.of(CONFIG_ARM64, SHARED_LAYER, ARM_LAYER))));

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
        public long blob(String repository, String digest) {
            requests.add("blob " + digest);
            return 10;
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

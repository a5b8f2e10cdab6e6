package io.ocimirror.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ocimirror.config.MirrorConfiguration;
import io.ocimirror.rewrite.RewriteOutcome;
import io.ocimirror.rewrite.RewriteOutcome.CannotMirror;
import io.ocimirror.rewrite.RewriteOutcome.Rewritten;
import io.ocimirror.rewrite.RewriteRule;
import io.ocimirror.testing.Configurations;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ImageRewritesTest {

    private static final MirrorConfiguration DOCKER_HUB_MIRROR = Configurations.parse("""
            registryMirrors:
              docker.io: {baseDomain: mirror.example.com, subPath: hub}
            """);
    private static final MirrorConfiguration OTHER_MIRROR = Configurations.parse("""
            registryMirrors:
              docker.io: {baseDomain: other.example.com}
            """);

    private final ImageRewrites rewrites = new ImageRewrites();

    @ParameterizedTest
    @ValueSource(strings = {"nginx", "nginx:1.25", "docker.io/library/nginx", "ghcr.io/org/app:1", "mirror.example.com/hub/x"})
    void givesWhatTheRuleGives(String image) {
        RewriteOutcome expected = RewriteRule.apply(image, DOCKER_HUB_MIRROR);

        assertEquals(expected, rewrites.rewrite(image, DOCKER_HUB_MIRROR));
        assertEquals(expected, rewrites.rewrite(image, DOCKER_HUB_MIRROR));
        assertEquals(1, rewrites.size());
    }

    @Test
    void remembersAnImageForEachSnapshot() {
        RewriteOutcome first = rewrites.rewrite("nginx:1.25", DOCKER_HUB_MIRROR);

        assertSame(first, rewrites.rewrite("nginx:1.25", DOCKER_HUB_MIRROR));
        assertEquals("other.example.com/library/nginx:1.25", pull(rewrites.rewrite("nginx:1.25", OTHER_MIRROR)));
        assertSame(first, rewrites.rewrite("nginx:1.25", DOCKER_HUB_MIRROR), "snapshots in turn keep their rewrites");
        assertEquals(2, rewrites.size());
    }

    @Test
    void tellsEqualSnapshotsApartByIdentity() {
        MirrorConfiguration reparsed = Configurations.parse("""
                registryMirrors:
                  docker.io: {baseDomain: mirror.example.com, subPath: hub}
                """);
        RewriteOutcome first = rewrites.rewrite("nginx:1.25", DOCKER_HUB_MIRROR);

        assertEquals(first, rewrites.rewrite("nginx:1.25", reparsed));
        assertEquals(2, rewrites.size(), "a new snapshot gets its own entries");
    }

    @Test
    void remembersInvalidReferencesAsTheirOutcome() {
        RewriteOutcome first = rewrites.rewrite("org/App", DOCKER_HUB_MIRROR);

        assertEquals(CannotMirror.Problem.INVALID_REFERENCE, assertInstanceOf(CannotMirror.class, first).problem());
        assertSame(first, rewrites.rewrite("org/App", DOCKER_HUB_MIRROR));
        assertEquals(1, rewrites.size());
    }

    @Test
    void doesNotRememberOverlyLongStrings() {
        // A valid reference past the bound: a long path, the longest tag, and a long digest of a newer algorithm.
        String image = "org/" + "a".repeat(228) + ":" + "t".repeat(128) + "@blake3:" + "b".repeat(248);
        assertTrue(image.length() > ImageRewrites.MAX_REMEMBERED_LENGTH);

        assertEquals("mirror.example.com/hub/" + image, pull(rewrites.rewrite(image, DOCKER_HUB_MIRROR)));
        assertEquals(0, rewrites.size());
    }

    @Test
    void staysWithinItsCapacity() {
        for (int i = 0; i < ImageRewrites.CAPACITY + 10; i++) {
            rewrites.rewrite("app-" + i + ":1", DOCKER_HUB_MIRROR);
        }

        assertEquals(10, rewrites.size(), "emptied when full, then filled again");
        assertEquals("mirror.example.com/hub/library/app-0:1", pull(rewrites.rewrite("app-0:1", DOCKER_HUB_MIRROR)));
    }

    private static String pull(RewriteOutcome outcome) {
        return assertInstanceOf(Rewritten.class, outcome).rewrite().pull().toString();
    }
}

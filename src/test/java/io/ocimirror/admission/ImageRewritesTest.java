package io.ocimirror.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ocimirror.config.MirrorConfiguration;
import io.ocimirror.reference.ImageReference;
import io.ocimirror.reference.InvalidReferenceException;
import io.ocimirror.rewrite.Rewrite;
import io.ocimirror.rewrite.RewriteRule;
import io.ocimirror.testing.Configurations;
import java.util.Optional;
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
    void givesWhatTheRuleGives(String image) throws InvalidReferenceException {
        Optional<Rewrite> expected = RewriteRule.apply(ImageReference.parse(image), DOCKER_HUB_MIRROR);

        assertEquals(expected, rewrites.rewrite(image, DOCKER_HUB_MIRROR));
        assertEquals(expected, rewrites.rewrite(image, DOCKER_HUB_MIRROR));
        assertEquals(1, rewrites.size());
    }

    @Test
    void remembersAnImageUntilTheConfigurationChanges() throws InvalidReferenceException {
        Optional<Rewrite> first = rewrites.rewrite("nginx:1.25", DOCKER_HUB_MIRROR);

        assertSame(first.orElseThrow(), rewrites.rewrite("nginx:1.25", DOCKER_HUB_MIRROR).orElseThrow());
        assertEquals("other.example.com/library/nginx:1.25",
                rewrites.rewrite("nginx:1.25", OTHER_MIRROR).orElseThrow().pull().toString());
        assertEquals(1, rewrites.size(), "the images of the old configuration are forgotten");
    }

    @Test
    void doesNotRememberInvalidReferences() {
        for (int attempt = 0; attempt < 2; attempt++) {
            InvalidReferenceException invalid = assertThrows(InvalidReferenceException.class,
                    () -> rewrites.rewrite("org/App", DOCKER_HUB_MIRROR));
            assertEquals(InvalidReferenceException.Reason.UPPERCASE_REPOSITORY, invalid.reason());
        }
        assertEquals(0, rewrites.size());
    }

    @Test
    void doesNotRememberOverlyLongStrings() throws InvalidReferenceException {
        String digest = "sha512:" + "a".repeat(ImageRewrites.MAX_REMEMBERED_LENGTH);

        assertEquals("mirror.example.com/hub/library/app@" + digest,
                rewrites.rewrite("app@" + digest, DOCKER_HUB_MIRROR).orElseThrow().pull().toString());
        assertEquals(0, rewrites.size());
    }

    @Test
    void staysWithinItsCapacity() throws InvalidReferenceException {
        for (int i = 0; i < ImageRewrites.CAPACITY + 10; i++) {
            rewrites.rewrite("app-" + i + ":1", DOCKER_HUB_MIRROR);
        }

        assertEquals(10, rewrites.size(), "emptied when full, then filled again");
        assertEquals("mirror.example.com/hub/library/app-0:1",
                rewrites.rewrite("app-0:1", DOCKER_HUB_MIRROR).orElseThrow().pull().toString());
    }
}

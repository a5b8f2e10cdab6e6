package io.ocimirror.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.TextNode;
import io.ocimirror.config.ConfigurationOwner;
import io.ocimirror.config.MirrorConfiguration;
import io.ocimirror.reference.ImageReference;
import io.ocimirror.rewrite.RewriteGate;
import io.ocimirror.rewrite.RewriteOutcome.Rewritten;
import io.ocimirror.rewrite.RewriteRule;
import io.ocimirror.testing.Configurations;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The rule's outcomes for image strings, remembered per snapshot on a bounded cache. */
class RewriterTest {

    private static final MirrorConfiguration DOCKER_HUB_MIRROR = Configurations.parse("""
            registryMirrors:
              docker.io: {baseDomain: mirror.example.com, subPath: hub}
            """);
    private static final MirrorConfiguration OTHER_MIRROR = Configurations.parse("""
            registryMirrors:
              docker.io: {baseDomain: other.example.com}
            """);

    private final Rewriter rewriter = new Rewriter(RewriteGate.ALWAYS);

    @ParameterizedTest
    @ValueSource(strings = {"nginx", "nginx:1.25", "docker.io/library/nginx", "ghcr.io/org/app:1", "mirror.example.com/hub/x"})
    void givesWhatTheRuleGives(String image) {
        Optional<String> expected = RewriteRule.apply(image, DOCKER_HUB_MIRROR) instanceof Rewritten rewritten
                ? Optional.of(rewritten.rewrite().pull().toString())
                : Optional.empty();

        assertEquals(expected, pull(image, DOCKER_HUB_MIRROR));
        assertEquals(expected, pull(image, DOCKER_HUB_MIRROR));
        assertEquals(1, rewriter.rememberedSize());
    }

    @Test
    void remembersAnImageForEachSnapshot() {
        ImageReference first = rewriter.mirroredForm("nginx:1.25", DOCKER_HUB_MIRROR).orElseThrow();

        assertSame(first, rewriter.mirroredForm("nginx:1.25", DOCKER_HUB_MIRROR).orElseThrow());
        assertEquals(Optional.of("other.example.com/library/nginx:1.25"), pull("nginx:1.25", OTHER_MIRROR));
        assertSame(first, rewriter.mirroredForm("nginx:1.25", DOCKER_HUB_MIRROR).orElseThrow(),
                "snapshots in turn keep their rewrites");
        assertEquals(2, rewriter.rememberedSize());
    }

    @Test
    void tellsEqualSnapshotsApartByIdentity() {
        MirrorConfiguration reparsed = Configurations.parse("""
                registryMirrors:
                  docker.io: {baseDomain: mirror.example.com, subPath: hub}
                """);
        Optional<String> first = pull("nginx:1.25", DOCKER_HUB_MIRROR);

        assertEquals(first, pull("nginx:1.25", reparsed));
        assertEquals(2, rewriter.rememberedSize(), "a new snapshot gets its own entries");
    }

    @Test
    void remembersInvalidReferencesAsTheirOutcome() {
        assertEquals(Optional.empty(), pull("org/App", DOCKER_HUB_MIRROR));
        assertEquals(Optional.empty(), pull("org/App", DOCKER_HUB_MIRROR));
        assertEquals(1, rewriter.rememberedSize());
    }

    @Test
    void warnsOfAnInvalidReferenceItRemembers() {
        RewriteCollector collector = rewriter.collector(DOCKER_HUB_MIRROR, DOCKER_HUB_MIRROR, ConfigurationOwner.WEBHOOK,
                Optional.empty());

        collector.image(TextNode.valueOf("org/App"), "containers[0]");
        collector.image(TextNode.valueOf("org/App"), "containers[1]");

        List<String> warnings = collector.outcome(new JsonPatch(), new Decisions()).warnings();
        assertEquals(2, warnings.size(), warnings::toString);
        assertTrue(warnings.get(1).startsWith("containers[1] \"org/App\" is not a valid reference"), warnings.get(1));
    }

    @Test
    void doesNotRememberOverlyLongStrings() {
        // A valid reference past the bound: a long path, the longest tag, and a long digest of a newer algorithm.
        String image = "org/" + "a".repeat(228) + ":" + "t".repeat(128) + "@blake3:" + "b".repeat(248);
        assertTrue(image.length() > Rewriter.MAX_REMEMBERED_LENGTH);

        assertEquals(Optional.of("mirror.example.com/hub/" + image), pull(image, DOCKER_HUB_MIRROR));
        assertEquals(0, rewriter.rememberedSize());
    }

    @Test
    void staysWithinItsCapacity() {
        for (int i = 0; i < Rewriter.CAPACITY + 10; i++) {
            rewriter.mirroredForm("app-" + i + ":1", DOCKER_HUB_MIRROR);
        }

        assertEquals(Rewriter.CAPACITY, rewriter.rememberedSize(), "the least used are forgotten beyond capacity");
        assertEquals(Optional.of("mirror.example.com/hub/library/app-0:1"), pull("app-0:1", DOCKER_HUB_MIRROR));
    }

    private Optional<String> pull(String image, MirrorConfiguration configuration) {
        return rewriter.mirroredForm(image, configuration).map(ImageReference::toString);
    }
}

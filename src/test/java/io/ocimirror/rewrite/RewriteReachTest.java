package io.ocimirror.rewrite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ocimirror.config.Mirror;
import io.ocimirror.config.MirrorConfiguration;
import io.ocimirror.reference.ImageReference;
import io.ocimirror.reference.InvalidReferenceException;
import io.ocimirror.testing.Configurations;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Whatever a workload author writes, replication only ever goes to a configured mirror host, and a rewritten
 * reference is not rewritten again.
 */
class RewriteReachTest {

    private static final MirrorConfiguration CONFIG = Configurations.parse("""
            primaryMirror: registry-write.example.com
            registryMirrors:
              docker.io: {baseDomain: mirror.example.com, subPath: dockerhub-mirror}
              ghcr.io: {baseDomain: mirror.example.com, subPath: ghcr-mirror}
              registry.k8s.io: {baseDomain: k8s-mirror.example.com, replicationHost: k8s-write.example.com}
              localhost:5000: {baseDomain: "127.0.0.1:6000", replicationHost: "127.0.0.1:6001"}
            """);
    private static final Set<String> REPLICATION_HOSTS =
            CONFIG.allMirrors().stream().map(Mirror::replicationHost).collect(Collectors.toSet());

    @Property(tries = 2000)
    void replicatesOnlyThroughConfiguredHostsAndSettlesAfterOneRewrite(@ForAll("references") String text) {
        Optional<ImageReference> reference = tryParse(text);
        RewriteOutcome outcome = RewriteRule.apply(text, CONFIG);

        assertEquals(reference.isEmpty(), outcome instanceof RewriteOutcome.CannotMirror cannot
                && cannot.problem() == RewriteOutcome.CannotMirror.Problem.INVALID_REFERENCE, () -> text + " -> " + outcome);
        outcome.replication().ifPresent(r -> {
            assertTrue(REPLICATION_HOSTS.contains(r.replication().registry()), () -> text + " -> " + r.replication());
            assertEquals(r.original().tag(), r.pull().tag());
            assertEquals(r.original().digest(), r.pull().digest());
            assertEquals(Optional.of(r.pull()), tryParse(r.pull().toString()), "the parser reads the rewrite back");
            Rewrite again = ((RewriteOutcome.Unchanged) RewriteRule.apply(r.pull(), CONFIG)).onMirror().orElseThrow();
            assertEquals(r.pull(), again.pull(), "a rewritten reference is not rewritten again");
            assertEquals(r.replication(), again.replication());
        });
    }

    @Provide
    Arbitrary<String> references() {
        Arbitrary<String> registry = Arbitraries.of("", "docker.io/", "index.docker.io/", "ghcr.io/", "quay.io/",
                "registry.k8s.io/", "localhost:5000/", "mirror.example.com/", "mirror.example.com/dockerhub-mirror/",
                "registry-write.example.com/ghcr-mirror/", "127.0.0.1:6000/", "evil.example.net/", "k8s-write.example.com/");
        Arbitrary<String> component = Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz0123456789._-")
                .ofMinLength(1).ofMaxLength(12);
        Arbitrary<String> suffix = Arbitraries.of("", ":1.0", "@sha256:" + "c".repeat(64), ":v2@sha256:" + "d".repeat(64));
        // Long paths reach the 255-character limit of a name on the mirror, and of the name as written.
        Arbitrary<String> longPath = Arbitraries.integers().between(200, 260).map(n -> "org/" + "a".repeat(n));
        return Arbitraries.oneOf(
                Combinators.combine(registry, component.list().ofMinSize(1).ofMaxSize(4), suffix)
                        .as((r, path, s) -> r + String.join("/", path) + s),
                Combinators.combine(registry, longPath, suffix).as((r, path, s) -> r + path + s),
                Arbitraries.strings().all().ofMaxLength(120));
    }

    private static Optional<ImageReference> tryParse(String text) {
        try {
            return Optional.of(ImageReference.parse(text));
        } catch (InvalidReferenceException e) {
            return Optional.empty();
        }
    }
}

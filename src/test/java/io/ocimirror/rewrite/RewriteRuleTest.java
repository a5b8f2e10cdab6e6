package io.ocimirror.rewrite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.ocimirror.config.MirrorConfiguration;
import io.ocimirror.reference.ImageReference;
import io.ocimirror.reference.InvalidReferenceException.Reason;
import io.ocimirror.reference.InvalidReferenceException;
import io.ocimirror.rewrite.RewriteOutcome.CannotMirror.Problem;
import io.ocimirror.rewrite.RewriteOutcome.CannotMirror;
import io.ocimirror.rewrite.RewriteOutcome.Rewritten;
import io.ocimirror.rewrite.RewriteOutcome.Unchanged;
import io.ocimirror.testing.Configurations;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RewriteRuleTest {

    private static final String SHA = "sha256:" + "b".repeat(64);
    private static final String SHA512 = "sha512:" + "c".repeat(128);

    private static final MirrorConfiguration CONFIG = Configurations.parse("""
            primaryMirror: registry-write.example.com
            registryMirrors:
              docker.io:
                baseDomain: mirror.example.com
                subPath: dockerhub-mirror
              ghcr.io:
                baseDomain: mirror.example.com
                subPath: ghcr-mirror
              registry.k8s.io:
                baseDomain: k8s-mirror.example.com
                replicationHost: k8s-mirror-write.example.com
              localhost:5000:
                baseDomain: 127.0.0.1:6000
                replicationHost: 127.0.0.1:6001
            exclude:
              images: ["ghcr.io/cloudnative-pg/*"]
            """);

    static Stream<Arguments> rewrites() {
        return Stream.of(
                // image, pull reference, replication reference
                Arguments.of("nginx:1.25", "mirror.example.com/dockerhub-mirror/library/nginx:1.25",
                        "registry-write.example.com/dockerhub-mirror/library/nginx:1.25"),
                Arguments.of("index.docker.io/bitnami/redis", "mirror.example.com/dockerhub-mirror/bitnami/redis",
                        "registry-write.example.com/dockerhub-mirror/bitnami/redis"),
                Arguments.of("ghcr.io/org/app:v1@" + SHA, "mirror.example.com/ghcr-mirror/org/app:v1@" + SHA,
                        "registry-write.example.com/ghcr-mirror/org/app:v1@" + SHA),
                Arguments.of("registry.k8s.io/pause:3.9", "k8s-mirror.example.com/pause:3.9",
                        "k8s-mirror-write.example.com/pause:3.9"),
                Arguments.of("localhost:5000/app", "127.0.0.1:6000/app", "127.0.0.1:6001/app"),
                // hosts in any case, as DNS compares them; tags keep their case
                Arguments.of("GHCR.io/org/app:V1", "mirror.example.com/ghcr-mirror/org/app:V1",
                        "registry-write.example.com/ghcr-mirror/org/app:V1"),
                Arguments.of("Registry.K8S.io/pause:3.9", "k8s-mirror.example.com/pause:3.9",
                        "k8s-mirror-write.example.com/pause:3.9"),
                Arguments.of("LocalHost:5000/app", "127.0.0.1:6000/app", "127.0.0.1:6001/app"),
                Arguments.of("Index.Docker.IO/bitnami/redis", "mirror.example.com/dockerhub-mirror/bitnami/redis",
                        "registry-write.example.com/dockerhub-mirror/bitnami/redis"),
                // a sha512 pin is kept as it is
                Arguments.of("ghcr.io/org/app@" + SHA512, "mirror.example.com/ghcr-mirror/org/app@" + SHA512,
                        "registry-write.example.com/ghcr-mirror/org/app@" + SHA512));
    }

    static Stream<Arguments> configurationsInAnyCase() {
        return Stream.of(
                // name, configuration, image, pull reference
                Arguments.of("an upper-case source key", "registryMirrors: {GHCR.IO: {baseDomain: m.example.com}}",
                        "ghcr.io/org/app:1", "m.example.com/org/app:1"),
                Arguments.of("a mixed-case key and image", "registryMirrors: {Ghcr.Io: {baseDomain: m.example.com}}",
                        "gHcR.iO/org/app:1", "m.example.com/org/app:1"),
                Arguments.of("an upper-case mirror host", "registryMirrors: {ghcr.io: {baseDomain: M.Example.COM}}",
                        "GHCR.io/org/app:1", "m.example.com/org/app:1"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configurationsInAnyCase")
    void comparesConfiguredHostsInAnyCase(String name, String yaml, String image, String pull) {
        MirrorConfiguration configuration = Configurations.parse(yaml);

        Rewrite rewrite = assertInstanceOf(Rewritten.class, RewriteRule.apply(image, configuration)).rewrite();

        assertEquals(pull, rewrite.pull().toString());
        assertInstanceOf(Unchanged.class, RewriteRule.apply(pull.toUpperCase(Locale.ROOT)
                .replaceFirst("/.*", "") + pull.substring(pull.indexOf('/')), configuration), "already on the mirror");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rewrites")
    void rewritesToTheMirror(String image, String pull, String replication) {
        Rewrite rewrite = assertInstanceOf(Rewritten.class, RewriteRule.apply(reference(image), CONFIG)).rewrite();

        assertEquals(pull, rewrite.pull().toString());
        assertEquals(replication, rewrite.replication().toString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rewrites")
    void neverRewritesItsOwnOutputAgainButStillReplicatesIt(String image, String pull, String replication) {
        Unchanged unchanged = assertInstanceOf(Unchanged.class, RewriteRule.apply(reference(pull), CONFIG));
        Rewrite again = unchanged.onMirror().orElseThrow();

        assertEquals(pull, again.pull().toString());
        assertEquals(replication, again.replication().toString());
    }

    static Stream<Arguments> leftAlone() {
        return Stream.of(
                // image, why, the decision's code
                Arguments.of("quay.io/prometheus/node-exporter", "no mirror for the registry", "unchanged:no-mirror"),
                Arguments.of("localhost/app", "localhost without the configured port", "unchanged:no-mirror"),
                Arguments.of("ghcr.io/cloudnative-pg/postgresql:16", "excluded by image pattern",
                        "unchanged:excluded"),
                Arguments.of("GHCR.IO/cloudnative-pg/postgresql:16", "excluded by image pattern, host in upper case",
                        "unchanged:excluded"),
                Arguments.of("Quay.io/prometheus/node-exporter", "no mirror for the registry in any case",
                        "unchanged:no-mirror"),
                Arguments.of("MIRROR.example.com/unknown/app", "on a mirror host in upper case",
                        "unchanged:on-mirror"),
                Arguments.of("mirror.example.com/unknown/app", "on a mirror host outside every sub-path",
                        "unchanged:on-mirror"));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("leftAlone")
    void leavesOtherReferencesAlone(String image, String why, String code) {
        Unchanged unchanged = assertInstanceOf(Unchanged.class, RewriteRule.apply(reference(image), CONFIG));

        assertEquals(Optional.empty(), unchanged.onMirror());
        assertEquals(code, unchanged.code());
    }

    /** ghcr.io/ plus a path of this many characters is a name of that length plus eight. */
    private static String ghcrImage(int pathLength) {
        String path = "org/" + "a".repeat(pathLength - 4);
        return "ghcr.io/" + path + ":1.0";
    }

    static Stream<Arguments> mirroredNameLengths() {
        // "mirror.example.com/ghcr-mirror/" is 31 characters; distribution/reference and many clients cap the
        // name (registry/repository) at 255.
        return Stream.of(
                // mirrored name length, rewritten
                Arguments.of(254, true),
                Arguments.of(255, true),
                Arguments.of(256, false),
                // a 248-character name as written, and a 255-character one: valid for every client, too long mirrored
                Arguments.of(271, false),
                Arguments.of(278, false));
    }

    @ParameterizedTest(name = "{0} characters after mirroring")
    @MethodSource("mirroredNameLengths")
    void rewritesOnlyToNamesClientsAccept(int mirroredLength, boolean rewritten) {
        String image = ghcrImage(mirroredLength - 31);

        RewriteOutcome outcome = RewriteRule.apply(image, CONFIG);

        if (rewritten) {
            Rewrite rewrite = assertInstanceOf(Rewritten.class, outcome).rewrite();
            assertEquals(mirroredLength, rewrite.pull().name().length());
            assertEquals(rewrite.pull(), reference(rewrite.pull().toString()), "the parser reads it back");
        } else {
            assertEquals(Problem.MIRRORED_NAME_TOO_LONG, assertInstanceOf(CannotMirror.class, outcome).problem());
        }
    }

    static Stream<Arguments> invalidReferences() {
        return Stream.of(
                // image, the grammar rule it breaks
                Arguments.of("Foo/Bar:1", Reason.UPPERCASE_REPOSITORY),
                Arguments.of("ghcr.io/org/app@sha256:" + "b".repeat(63), Reason.INVALID_DIGEST_LENGTH),
                Arguments.of("ghcr.io/org/app@sha256:" + "B".repeat(64), Reason.INVALID_DIGEST),
                Arguments.of("ghcr.io/org/app@sha512:" + "c".repeat(64), Reason.INVALID_DIGEST_LENGTH),
                Arguments.of("ghcr.io/org/app@sha512:" + "C".repeat(128), Reason.INVALID_DIGEST),
                Arguments.of("ghcr.io/org/app:1@Sha256:" + "b".repeat(64), Reason.INVALID_DIGEST),
                Arguments.of("ghcr.io/org/app@blake3:no/slash", Reason.INVALID_DIGEST));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidReferences")
    void givesInvalidReferencesAsAnOutcome(String image, Reason reason) {
        CannotMirror cannot = assertInstanceOf(CannotMirror.class, RewriteRule.apply(image, CONFIG));

        assertEquals(Problem.INVALID_REFERENCE, cannot.problem());
        assertEquals(Optional.of(reason), cannot.reason());
        assertEquals(image, cannot.input());
    }

    private static ImageReference reference(String image) {
        try {
            return ImageReference.parse(image);
        } catch (InvalidReferenceException e) {
            throw new AssertionError(e);
        }
    }
}

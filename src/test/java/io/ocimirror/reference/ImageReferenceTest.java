package io.ocimirror.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ocimirror.reference.InvalidReferenceException.Reason;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ImageReferenceTest {

    private static final String SHA = "sha256:" + "a".repeat(64);
    private static final String SHA512 = "sha512:" + "0123456789abcdef".repeat(8);

    static Stream<Arguments> validReferences() {
        return Stream.of(
                // input, registry, repository, tag, digest
                Arguments.of("nginx", "docker.io", "library/nginx", null, null),
                Arguments.of("nginx:1.25", "docker.io", "library/nginx", "1.25", null),
                Arguments.of("library/nginx", "docker.io", "library/nginx", null, null),
                Arguments.of("bitnami/redis:7", "docker.io", "bitnami/redis", "7", null),
                Arguments.of("docker.io/nginx", "docker.io", "library/nginx", null, null),
                Arguments.of("index.docker.io/nginx", "docker.io", "library/nginx", null, null),
                Arguments.of("registry-1.docker.io/bitnami/redis", "docker.io", "bitnami/redis", null, null),
                Arguments.of("ghcr.io/org/app:v1", "ghcr.io", "org/app", "v1", null),
                Arguments.of("registry.k8s.io/pause:3.9", "registry.k8s.io", "pause", "3.9", null),
                Arguments.of("localhost/app", "localhost", "app", null, null),
                Arguments.of("localhost:5000/app:dev", "localhost:5000", "app", "dev", null),
                Arguments.of("registry:5000/team/app", "registry:5000", "team/app", null, null),
                Arguments.of("127.0.0.1:5000/app", "127.0.0.1:5000", "app", null, null),
                Arguments.of("[::1]:5000/app:1", "[::1]:5000", "app", "1", null),
                Arguments.of("[2001:db8::1]/team/app", "[2001:db8::1]", "team/app", null, null),
                Arguments.of("nginx@" + SHA, "docker.io", "library/nginx", null, SHA),
                Arguments.of("quay.io/a/b:1.0@" + SHA, "quay.io", "a/b", "1.0", SHA),
                Arguments.of("a.b/c__d/e-f--g.h_i:Tag_1.x-y", "a.b", "c__d/e-f--g.h_i", "Tag_1.x-y", null),
                Arguments.of("localhost:5000", "docker.io", "library/localhost", "5000", null),
                // a host is compared as DNS compares it (RFC 4343): kept in lower case; the rest stays as written
                Arguments.of("Registry.Example.com/app", "registry.example.com", "app", null, null),
                Arguments.of("GHCR.io/acme/payments-api:2.4.1", "ghcr.io", "acme/payments-api", "2.4.1", null),
                Arguments.of("Quay.IO/prometheus/node-exporter:V1.8", "quay.io", "prometheus/node-exporter", "V1.8",
                        null),
                Arguments.of("LOCALHOST:5000/app", "localhost:5000", "app", null, null),
                Arguments.of("INDEX.DOCKER.IO/nginx", "docker.io", "library/nginx", null, null),
                Arguments.of("Registry-1.Docker.Io/bitnami/redis", "docker.io", "bitnami/redis", null, null),
                Arguments.of("[2001:DB8::1]:5000/app", "[2001:db8::1]:5000", "app", null, null),
                // digests of the OCI image spec: the registered algorithms, and others by the grammar
                Arguments.of("nginx@" + SHA512, "docker.io", "library/nginx", null, SHA512),
                Arguments.of("a.io/b:1@" + SHA512, "a.io", "b", "1", SHA512),
                Arguments.of("a.io/b@multihash+base58:QmRZxt2b1FVZPNqd8hsiykDL3TdBDeTSPX9Kv46HmX4Gx8", "a.io", "b",
                        null, "multihash+base58:QmRZxt2b1FVZPNqd8hsiykDL3TdBDeTSPX9Kv46HmX4Gx8"),
                Arguments.of("a.io/b@sha256+b64u:LCa0a2j_xo_5m0U8HTBBNBNCLXBkg7-g-YpeiGJm564", "a.io", "b", null,
                        "sha256+b64u:LCa0a2j_xo_5m0U8HTBBNBNCLXBkg7-g-YpeiGJm564"),
                Arguments.of("a.io/b@blake3:" + "c".repeat(64), "a.io", "b", null, "blake3:" + "c".repeat(64)),
                Arguments.of("a.io/b@x.y_z-0:YQ==", "a.io", "b", null, "x.y_z-0:YQ=="),
                Arguments.of("a".repeat(250) + ".io/b", "a".repeat(250) + ".io", "b", null, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validReferences")
    void parsesAndNormalises(String input, String registry, String repository, String tag, String digest)
            throws InvalidReferenceException {
        ImageReference reference = ImageReference.parse(input);

        assertEquals(registry, reference.registry(), "registry");
        assertEquals(repository, reference.repository(), "repository");
        assertEquals(Optional.ofNullable(tag), reference.tag(), "tag");
        assertEquals(Optional.ofNullable(digest), reference.digest(), "digest");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validReferences")
    void roundTripsThroughItsFullForm(String input) throws InvalidReferenceException {
        ImageReference reference = ImageReference.parse(input);

        assertEquals(reference, ImageReference.parse(reference.toString()));
    }

    static Stream<Arguments> invalidReferences() {
        return Stream.of(
                // input, expected reason
                Arguments.of("", Reason.EMPTY),
                Arguments.of("Foo/Bar", Reason.UPPERCASE_REPOSITORY),
                Arguments.of("docker.io/Library/nginx", Reason.UPPERCASE_REPOSITORY),
                Arguments.of("UPPER", Reason.UPPERCASE_REPOSITORY),
                Arguments.of("a b", Reason.INVALID_FORMAT),
                Arguments.of(":::", Reason.INVALID_FORMAT),
                Arguments.of("nginx:", Reason.INVALID_FORMAT),
                Arguments.of("nginx:-bad", Reason.INVALID_FORMAT),
                Arguments.of("nginx:" + "t".repeat(129), Reason.INVALID_FORMAT),
                Arguments.of("/nginx", Reason.INVALID_FORMAT),
                Arguments.of("nginx/", Reason.INVALID_FORMAT),
                Arguments.of("a//b", Reason.INVALID_FORMAT),
                Arguments.of("-a.io/b", Reason.INVALID_FORMAT),
                Arguments.of("a.io:port/b", Reason.INVALID_FORMAT),
                Arguments.of("[::1/app", Reason.INVALID_FORMAT),
                Arguments.of("nginx@", Reason.INVALID_DIGEST),
                Arguments.of("nginx@sha256:abc", Reason.INVALID_DIGEST_LENGTH),
                Arguments.of("nginx@sha256:" + "a".repeat(63), Reason.INVALID_DIGEST_LENGTH),
                Arguments.of("nginx@sha256:" + "a".repeat(65), Reason.INVALID_DIGEST_LENGTH),
                Arguments.of("nginx@sha256:" + "a".repeat(128), Reason.INVALID_DIGEST_LENGTH),
                Arguments.of("nginx@sha256:" + "A".repeat(64), Reason.INVALID_DIGEST),
                Arguments.of("nginx@sha256:" + "g".repeat(64), Reason.INVALID_DIGEST),
                Arguments.of("nginx@sha512:" + "a".repeat(64), Reason.INVALID_DIGEST_LENGTH),
                Arguments.of("nginx@sha512:" + "a".repeat(127), Reason.INVALID_DIGEST_LENGTH),
                Arguments.of("nginx@sha512:" + "F".repeat(128), Reason.INVALID_DIGEST),
                Arguments.of("nginx@SHA256:" + "a".repeat(64), Reason.INVALID_DIGEST),
                Arguments.of("nginx@sha256", Reason.INVALID_DIGEST),
                Arguments.of("nginx@:" + "a".repeat(64), Reason.INVALID_DIGEST),
                Arguments.of("nginx@sha256::" + "a".repeat(64), Reason.INVALID_DIGEST),
                Arguments.of("nginx@sha256+:" + "a".repeat(64), Reason.INVALID_DIGEST),
                Arguments.of("nginx@+sha256:" + "a".repeat(64), Reason.INVALID_DIGEST),
                Arguments.of("nginx@blake3:ab/cd", Reason.INVALID_DIGEST),
                Arguments.of("nginx@blake3:ab+cd", Reason.INVALID_DIGEST),
                Arguments.of("nginx@blake3:", Reason.INVALID_DIGEST),
                Arguments.of("nginx@x:" + "a".repeat(300), Reason.INVALID_DIGEST),
                Arguments.of("nginx@" + SHA + "@" + SHA, Reason.INVALID_DIGEST),
                Arguments.of("a".repeat(64), Reason.AMBIGUOUS_DIGEST),
                Arguments.of("a.io/" + "b".repeat(251), Reason.NAME_TOO_LONG),
                Arguments.of("ünïcode/app", Reason.INVALID_FORMAT));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("invalidReferences")
    void rejectsInvalidReferencesWithTheirReason(String input, Reason reason) {
        InvalidReferenceException error =
                assertThrows(InvalidReferenceException.class, () -> ImageReference.parse(input));

        assertEquals(reason, error.reason());
        assertEquals(input, error.input());
    }

    @Test
    void keepsTagAndDigestInTheFullForm() throws InvalidReferenceException {
        assertEquals("docker.io/library/nginx:1.25@" + SHA, ImageReference.parse("nginx:1.25@" + SHA).toString());
        assertEquals("docker.io/library/nginx", ImageReference.parse("nginx").toString());
    }

    @Test
    void asksTheRegistryForTheDigestBeforeTheTag() throws InvalidReferenceException {
        assertEquals(SHA, ImageReference.parse("nginx:1.25@" + SHA).manifestReference());
        assertEquals("1.25", ImageReference.parse("nginx:1.25").manifestReference());
        assertEquals("latest", ImageReference.parse("nginx").manifestReference());
    }

    @Test
    void movesToAnotherLocationKeepingTagAndDigest() throws InvalidReferenceException {
        ImageReference moved = ImageReference.parse("nginx:1.25@" + SHA)
                .withLocation("mirror.example.com", "hub/library/nginx");

        assertEquals("mirror.example.com/hub/library/nginx:1.25@" + SHA, moved.toString());
    }

    @Test
    void refusesToBuildAnInvalidReference() {
        assertThrows(IllegalArgumentException.class,
                () -> ImageReference.of("mirror.example.com", "Bad/Path", Optional.empty(), Optional.empty()));
        assertThrows(IllegalArgumentException.class,
                () -> ImageReference.of("bad host", "app", Optional.empty(), Optional.empty()));
    }
}

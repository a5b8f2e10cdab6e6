package io.ocimirror.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The tags of the referrers tag schema and of cosign, by the digest they are named after. */
class ReferrerTagsTest {

    private static final String SHA256 = "a".repeat(64);
    private static final String SHA512 = "b".repeat(128);

    static Stream<Arguments> digests() {
        return Stream.of(
                // digest, referrers tag schema tag, cosign tags
                Arguments.of("sha256:" + SHA256, "sha256-" + SHA256,
                        List.of("sha256-" + SHA256 + ".sig", "sha256-" + SHA256 + ".att",
                                "sha256-" + SHA256 + ".sbom")),
                Arguments.of("sha512:" + SHA512, "sha512-" + "b".repeat(64), List.of()),
                Arguments.of("multihash+base58:QmRZxt2b1FVZPNqd8hsiykDL3TdBDeTSPX9Kv46HmX4Gx8",
                        "multihash-base58-QmRZxt2b1FVZPNqd8hsiykDL3TdBDeTSPX9Kv46HmX4Gx8", List.of()),
                Arguments.of("a-very-long-algorithm-name-of-forty.chars:" + "c".repeat(70) + "==",
                        "a-very-long-algorithm-name-of-fo-" + "c".repeat(64), List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("digests")
    void namesTheTagsAfterTheDigest(String digest, String fallback, List<String> cosign) {
        assertEquals(fallback, ReferrerTags.fallback(digest));
        assertEquals(cosign, ReferrerTags.cosign(digest));
    }
}

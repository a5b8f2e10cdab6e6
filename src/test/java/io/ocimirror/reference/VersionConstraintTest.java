package io.ocimirror.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Chart versions read as Helm 3.8+ reads them for {@code oci://} charts (Masterminds/semver v3 constraints). */
class VersionConstraintTest {

    private static final List<String> TAGS = List.of("6.5.3", "6.5.4", "6.6.0", "6.5.5-rc.1", "7.0.0-beta.2",
            "1.0.0", "1.2.0", "1.2.7", "1.3.0", "1.10.1", "2.0.0", "0.2.3", "0.2.9", "0.3.0", "0.0.3", "0.0.4",
            "3.0.0_build.7", "latest", "v9.0.0", "8.0", "main");

    static Stream<Arguments> constraints() {
        return Stream.of(
                // version as written, the tag Helm pulls (null: none matches)
                Arguments.of("6.5.x", "6.5.4"),
                Arguments.of("6.5.X", "6.5.4"),
                Arguments.of("6.5.*", "6.5.4"),
                Arguments.of("6.x", "6.6.0"),
                Arguments.of("~1.2", "1.2.7"),
                Arguments.of("~1.2.3", "1.2.7"),
                Arguments.of("~1", "1.10.1"),
                Arguments.of("~> 1.2", "1.2.7"),
                Arguments.of("^1.2", "1.10.1"),
                Arguments.of("^0.2.3", "0.2.9"),
                Arguments.of("^0.0.3", "0.0.3"),
                Arguments.of("^0", "0.3.0"),
                Arguments.of("^0.0", "0.0.4"),
                Arguments.of(">=1.0 <2", "1.10.1"),
                Arguments.of(">= 1.0, < 2", "1.10.1"),
                Arguments.of(">1.2.0 <1.3", "1.2.7"),
                Arguments.of(">1.2.x", "6.6.0"),
                Arguments.of("<=1.2.x", "1.2.7"),
                Arguments.of("<1.2", "1.0.0"),
                Arguments.of("!=6.6.0, 6.x", "6.5.4"),
                Arguments.of("1.2 - 1.3", "1.3.0"),
                Arguments.of("1.0.0 - 1.2.5", "1.2.0"),
                Arguments.of("^5 || ~1.2", "1.2.7"),
                Arguments.of("*", "6.6.0"),
                Arguments.of("x", "6.6.0"),
                // build metadata: the tag spells + as _
                Arguments.of("3.x", "3.0.0_build.7"),
                // pre-releases only when the constraint names one
                Arguments.of(">=7.0.0-alpha", "7.0.0-beta.2"),
                // Masterminds asks each comparison of a group to name a pre-release: <=6.5.6 does not
                Arguments.of("6.5.5-rc.0 - 6.5.6", null),
                Arguments.of("7.x", null),
                // not SemVer 2.0.0 tags (v9.0.0, 8.0) are not in Helm's list
                Arguments.of("9.x", null),
                Arguments.of("8.x", null),
                // ranges with no match
                Arguments.of("5.x", null),
                Arguments.of(">=10", null),
                Arguments.of("^0.1", null),
                Arguments.of("<0.0.1", null));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("constraints")
    void picksTheTagHelmPulls(String version, String tag) {
        VersionConstraint constraint = VersionConstraint.readByHelm(version).orElseThrow();

        assertEquals(Optional.ofNullable(tag), constraint.highestMatchingTag(TAGS));
    }

    static Stream<Arguments> versionsPulledAsTags() {
        return Stream.of(
                // version as written, why Helm pulls it as a tag without listing tags
                Arguments.of("6.5.4", "a version"),
                Arguments.of("v1.2.3", "a version with v"),
                Arguments.of("1.2", "a version without patch"),
                Arguments.of("1", "a major version alone"),
                Arguments.of("1.0.0-rc.1+build.5", "a pre-release with metadata"),
                Arguments.of("3.0.0+build.7", "a version with metadata"),
                Arguments.of("latest", "not a constraint either: Helm fails, the tag is tried as it is"),
                Arguments.of("1.2.3.4", "not a constraint"),
                Arguments.of(">=", "an operator without a version"),
                Arguments.of("1.x-rc.1", "a pre-release on a wildcard"),
                Arguments.of("||", "empty alternatives"));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("versionsPulledAsTags")
    void leavesVersionsHelmPullsAsTags(String version, String why) {
        assertEquals(Optional.empty(), VersionConstraint.readByHelm(version));
    }

    static Stream<Arguments> precedence() {
        return Stream.of(
                // lower, higher (SemVer 2.0.0, section 11)
                Arguments.of("1.0.0", "2.0.0"),
                Arguments.of("2.0.0", "2.1.0"),
                Arguments.of("2.1.0", "2.1.1"),
                Arguments.of("1.0.0-alpha", "1.0.0"),
                Arguments.of("1.0.0-alpha", "1.0.0-alpha.1"),
                Arguments.of("1.0.0-alpha.1", "1.0.0-alpha.beta"),
                Arguments.of("1.0.0-alpha.beta", "1.0.0-beta"),
                Arguments.of("1.0.0-beta.2", "1.0.0-beta.11"),
                Arguments.of("1.0.0-rc.1", "1.0.0"),
                Arguments.of("1.9.0", "1.10.0"));
    }

    @ParameterizedTest(name = "{0} < {1}")
    @MethodSource("precedence")
    void ordersVersionsBySemVerPrecedence(String lower, String higher) {
        SemanticVersion low = SemanticVersion.parseStrict(lower).orElseThrow();
        SemanticVersion high = SemanticVersion.parseStrict(higher).orElseThrow();

        assertEquals(-1, Integer.signum(low.compareTo(high)));
        assertEquals(1, Integer.signum(high.compareTo(low)));
    }
}

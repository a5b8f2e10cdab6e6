package io.ocimirror.reference;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A semantic version as Helm reads chart versions (Masterminds/semver v3): {@code major.minor.patch}, an optional
 * pre-release and build metadata. Ordered by SemVer 2.0.0 precedence (section 11): build metadata is ignored, a
 * pre-release sorts before its release, numeric pre-release identifiers sort numerically and before alphanumeric
 * ones.
 *
 * @param major      the major version
 * @param minor      the minor version
 * @param patch      the patch version
 * @param preRelease the dot-separated pre-release identifiers; empty for a release
 */
public record SemanticVersion(long major, long minor, long patch, List<String> preRelease)
        implements Comparable<SemanticVersion> {

    private static final String IDENTIFIERS = "[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*";
    private static final String NUMBER = "0|[1-9][0-9]{0,17}";
    /** SemVer 2.0.0's grammar, which Helm's tag listing requires ({@code semver.StrictNewVersion}). */
    private static final Pattern STRICT = Pattern.compile(
            "(" + NUMBER + ")\\.(" + NUMBER + ")\\.(" + NUMBER + ")(?:-(" + IDENTIFIERS + "))?(?:\\+" + IDENTIFIERS + ")?");
    /**
     * Masterminds' loose grammar ({@code semver.NewVersion}): a {@code v} prefix and missing minor or patch
     * allowed. Helm pulls a chart version that reads so as a tag without listing tags.
     */
    private static final Pattern LOOSE = Pattern.compile(
            "v?([0-9]{1,18})(?:\\.([0-9]{1,18}))?(?:\\.([0-9]{1,18}))?(?:-(" + IDENTIFIERS + "))?(?:\\+" + IDENTIFIERS
                    + ")?");

    /**
     * @param text a version such as {@code 1.2.3-rc.1+build.5}
     * @return the version, when the text follows SemVer 2.0.0 exactly (no {@code v}, all three numbers)
     */
    public static Optional<SemanticVersion> parseStrict(String text) {
        Matcher m = STRICT.matcher(text);
        return m.matches() ? Optional.of(of(m.group(1), m.group(2), m.group(3), m.group(4))) : Optional.empty();
    }

    /**
     * @param text a version as Masterminds/semver's {@code NewVersion} reads it ({@code v1.2}, {@code 1})
     * @return the version, missing numbers read as 0
     */
    public static Optional<SemanticVersion> parseLoose(String text) {
        Matcher m = LOOSE.matcher(text);
        return m.matches() ? Optional.of(of(m.group(1), m.group(2), m.group(3), m.group(4))) : Optional.empty();
    }

    static SemanticVersion of(String major, String minor, String patch, String preRelease) {
        return new SemanticVersion(number(major), number(minor), number(patch),
                preRelease == null ? List.of() : List.of(preRelease.split("\\.")));
    }

    private static long number(String text) {
        return text == null ? 0 : Long.parseLong(text);
    }

    public boolean isPreRelease() {
        return !preRelease.isEmpty();
    }

    @Override
    public int compareTo(SemanticVersion other) {
        int release = compareRelease(other);
        if (release != 0) {
            return release;
        }
        if (preRelease.isEmpty() || other.preRelease.isEmpty()) {
            return Boolean.compare(preRelease.isEmpty(), other.preRelease.isEmpty());
        }
        for (int i = 0; i < Math.min(preRelease.size(), other.preRelease.size()); i++) {
            int identifier = compareIdentifiers(preRelease.get(i), other.preRelease.get(i));
            if (identifier != 0) {
                return identifier;
            }
        }
        return Integer.compare(preRelease.size(), other.preRelease.size());
    }

    private int compareRelease(SemanticVersion other) {
        int byMajor = Long.compare(major, other.major);
        if (byMajor != 0) {
            return byMajor;
        }
        int byMinor = Long.compare(minor, other.minor);
        return byMinor != 0 ? byMinor : Long.compare(patch, other.patch);
    }

    private static int compareIdentifiers(String one, String other) {
        boolean oneNumeric = one.chars().allMatch(Character::isDigit);
        boolean otherNumeric = other.chars().allMatch(Character::isDigit);
        if (oneNumeric && otherNumeric) {
            return one.length() != other.length()
                    ? Integer.compare(one.length(), other.length())
                    : one.compareTo(other);
        }
        if (oneNumeric != otherNumeric) {
            return oneNumeric ? -1 : 1;
        }
        return one.compareTo(other);
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + patch + (preRelease.isEmpty() ? "" : "-" + String.join(".", preRelease));
    }
}

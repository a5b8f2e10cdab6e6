package io.ocimirror.reference;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A chart version constraint as Helm 3.8+ reads the version of an {@code oci://} chart (Masterminds/semver v3
 * constraints, helm/helm PR #10527): alternatives joined by {@code ||}, each a list of comparisons joined by commas
 * or spaces, all of which must hold. Comparisons: {@code =}, {@code !=}, {@code >}, {@code >=}, {@code <},
 * {@code <=}, {@code ~} (patch-level changes: {@code ~1.2} is {@code >=1.2.0 <1.3.0}), {@code ^} (no change of the
 * left-most non-zero number: {@code ^1.2} is {@code >=1.2.0 <2.0.0}, {@code ^0.2.3} is {@code >=0.2.3 <0.3.0}),
 * wildcards {@code x}, {@code X}, {@code *} and missing numbers ({@code 6.5.x} and {@code 6.5} are
 * {@code >=6.5.0 <6.6.0}), and ranges {@code 1.2 - 1.4.5}. A pre-release version matches a comparison only when that
 * comparison names a pre-release itself.
 */
public final class VersionConstraint {

    private static final String PART = "[0-9]{1,18}|[xX*]";
    private static final String IDENTIFIERS = "[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*";
    private static final Pattern COMPARISON = Pattern.compile("(!=|>=|=>|<=|=<|~>|[=><~^])?\\s*v?(" + PART
            + ")(?:\\.(" + PART + "))?(?:\\.(" + PART + "))?(?:-(" + IDENTIFIERS + "))?(?:\\+" + IDENTIFIERS + ")?");
    private static final Pattern HYPHEN_RANGE = Pattern.compile("(\\S+)\\s+-\\s+(\\S+)");
    private static final Pattern SEPARATOR = Pattern.compile("\\s*,\\s*|\\s+");

    /** One comparison as a range of versions, with the pre-release rule. */
    private record Range(Optional<SemanticVersion> from, boolean fromIncluded, Optional<SemanticVersion> to,
            boolean toIncluded, boolean negated, boolean namesPreRelease) {

        boolean admits(SemanticVersion version) {
            if (version.isPreRelease() && !namesPreRelease) {
                return false;
            }
            boolean above = from.map(f -> fromIncluded ? version.compareTo(f) >= 0 : version.compareTo(f) > 0)
                    .orElse(true);
            boolean below = to.map(t -> toIncluded ? version.compareTo(t) <= 0 : version.compareTo(t) < 0)
                    .orElse(true);
            return negated != (above && below);
        }
    }

    private final String text;
    private final List<List<Range>> alternatives;

    private VersionConstraint(String text, List<List<Range>> alternatives) {
        this.text = text;
        this.alternatives = alternatives;
    }

    /**
     * How Helm reads a chart version for an {@code oci://} repository (helm pkg/downloader, {@code getOciURI}): a
     * version that reads as a version ({@code 6.5.4}, {@code v1.2}) is pulled as that tag; anything else is matched
     * against the repository's tags as a constraint.
     *
     * @param version {@code spec.helmChart.version} as written
     * @return the constraint to resolve, when Helm resolves the version against the tag list; empty when Helm
     *         pulls it as a tag, or when it is not a constraint either (Helm then fails; the tag is tried as is)
     */
    public static Optional<VersionConstraint> readByHelm(String version) {
        if (SemanticVersion.parseLoose(version).isPresent()) {
            return Optional.empty();
        }
        return parse(version);
    }

    /**
     * @param text a constraint such as {@code >=1.0 <2 || ^3.1}
     * @return the constraint, when the text is one
     */
    public static Optional<VersionConstraint> parse(String text) {
        List<List<Range>> alternatives = new ArrayList<>();
        for (String alternative : text.split("\\|\\|", -1)) {
            String trimmed = alternative.trim();
            if (trimmed.isEmpty()) {
                return Optional.empty();
            }
            List<Range> ranges = new ArrayList<>();
            Matcher hyphen = HYPHEN_RANGE.matcher(trimmed);
            StringBuilder comparisons = new StringBuilder();
            while (hyphen.find()) {
                hyphen.appendReplacement(comparisons, Matcher.quoteReplacement(
                        ">=" + hyphen.group(1) + " <=" + hyphen.group(2)));
            }
            hyphen.appendTail(comparisons);
            String joined = comparisons.toString().replaceAll("(!=|>=|=>|<=|=<|~>|[=><~^])\\s+", "$1");
            for (String comparison : SEPARATOR.split(joined)) {
                Optional<Range> range = range(comparison);
                if (range.isEmpty()) {
                    return Optional.empty();
                }
                ranges.add(range.get());
            }
            alternatives.add(List.copyOf(ranges));
        }
        return Optional.of(new VersionConstraint(text, List.copyOf(alternatives)));
    }

    private static Optional<Range> range(String comparison) {
        Matcher m = COMPARISON.matcher(comparison);
        if (!m.matches()) {
            return Optional.empty();
        }
        String operator = m.group(1) == null ? "=" : m.group(1);
        // How many numbers were given before the first wildcard or missing one: 3 for 1.2.3, 2 for 1.2.x, 0 for *.
        int given = 0;
        for (int group = 2; group <= 4 && m.group(group) != null && m.group(group).matches("[0-9]+"); group++) {
            given++;
        }
        if (given < 3 && m.group(5) != null) {
            return Optional.empty();
        }
        SemanticVersion version = SemanticVersion.of(numberOr0(m.group(2), given >= 1), numberOr0(m.group(3), given >= 2),
                numberOr0(m.group(4), given >= 3), m.group(5));
        boolean pre = version.isPreRelease();
        Optional<SemanticVersion> at = Optional.of(version);
        if (given == 0) {
            return Optional.of(new Range(Optional.empty(), true, Optional.empty(), true,
                    operator.equals("!=") || operator.equals("<") || operator.equals(">"), false));
        }
        Optional<SemanticVersion> next = Optional.of(next(version, given));
        return Optional.of(switch (operator) {
            case "=" -> given == 3 ? new Range(at, true, at, true, false, pre) : new Range(at, true, next, false, false, pre);
            case "!=" -> given == 3 ? new Range(at, true, at, true, true, pre) : new Range(at, true, next, false, true, pre);
            case ">" -> given == 3 ? new Range(at, false, Optional.empty(), true, false, pre)
                    : new Range(next, true, Optional.empty(), true, false, pre);
            case ">=", "=>" -> new Range(at, true, Optional.empty(), true, false, pre);
            case "<" -> new Range(Optional.empty(), true, at, false, false, pre);
            case "<=", "=<" -> given == 3 ? new Range(Optional.empty(), true, at, true, false, pre)
                    : new Range(Optional.empty(), true, next, false, false, pre);
            case "~", "~>" -> new Range(at, true, Optional.of(next(version, Math.min(given, 2))), false, false, pre);
            case "^" -> new Range(at, true, Optional.of(caretLimit(version, given)), false, false, pre);
            default -> throw new IllegalStateException("operator " + operator);
        });
    }

    private static String numberOr0(String text, boolean given) {
        return given ? text : "0";
    }

    /** The first version past those that agree with this one in its first {@code given} numbers. */
    private static SemanticVersion next(SemanticVersion version, int given) {
        return switch (given) {
            case 1 -> new SemanticVersion(version.major() + 1, 0, 0, List.of());
            case 2 -> new SemanticVersion(version.major(), version.minor() + 1, 0, List.of());
            default -> new SemanticVersion(version.major(), version.minor(), version.patch() + 1, List.of());
        };
    }

    /** {@code ^}: the left-most non-zero number given stays, or the last number given when all are zero. */
    private static SemanticVersion caretLimit(SemanticVersion version, int given) {
        if (version.major() > 0 || given == 1) {
            return next(version, 1);
        }
        if (version.minor() > 0 || given == 2) {
            return next(version, 2);
        }
        return next(version, 3);
    }

    /** Whether a version satisfies one of the alternatives. */
    public boolean admits(SemanticVersion version) {
        return alternatives.stream().anyMatch(all -> all.stream().allMatch(range -> range.admits(version)));
    }

    /**
     * Picks the tag Helm pulls for this constraint (helm pkg/registry {@code GetTagMatchingVersionOrConstraint} over
     * {@code Client.Tags}): of the tags that read as SemVer 2.0.0 versions once {@code _} is read as {@code +} (OCI
     * tags cannot hold {@code +}, so Helm pushes {@code 1.0.0+build} as {@code 1.0.0_build}), the one written as the
     * constraint if there is one, else the highest version that satisfies it.
     *
     * @param tags the repository's tags, in any order
     * @return the tag as the registry lists it; empty when none matches
     */
    public Optional<String> highestMatchingTag(List<String> tags) {
        record Tagged(String tag, SemanticVersion version) {
        }
        List<Tagged> versions = tags.stream()
                .flatMap(tag -> SemanticVersion.parseStrict(tag.replace('_', '+')).map(v -> new Tagged(tag, v)).stream())
                .toList();
        Optional<String> exact = versions.stream().map(Tagged::tag).filter(tag -> tag.replace('_', '+').equals(text))
                .findFirst();
        if (exact.isPresent()) {
            return exact;
        }
        return versions.stream().filter(t -> admits(t.version())).max(Comparator.comparing(Tagged::version))
                .map(Tagged::tag);
    }

    @Override
    public String toString() {
        return text;
    }
}

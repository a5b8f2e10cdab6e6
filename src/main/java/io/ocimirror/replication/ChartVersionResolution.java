package io.ocimirror.replication;

import io.ocimirror.reference.ImageReference;
import io.ocimirror.reference.VersionConstraint;
import io.ocimirror.registry.RegistryAccess;
import io.ocimirror.registry.RegistryAccessException;
import java.util.List;
import java.util.Optional;

/**
 * Which tag of a chart Helm 3.8+ pulls for the version written in {@code spec.helmChart.version}: the version itself
 * when it reads as a version, else the highest tag that satisfies it as a constraint, from the repository's tag list
 * read through the mirror (helm/helm PR #10527; {@link VersionConstraint}).
 */
sealed interface ChartVersionResolution {

    /** The reference to walk: the chart's own when its version is a tag to Helm, else the resolved one. */
    record Resolved(ImageReference reference, Optional<String> fromConstraint) implements ChartVersionResolution {
    }

    /**
     * No tag satisfies the constraint: a condition of the chart, not of the mirror.
     *
     * @param constraint the version as written
     * @param tags       how many tags the repository lists
     */
    record NoMatchingVersion(String constraint, int tags) implements ChartVersionResolution {
    }

    /**
     * @param registry the mirror's replication host
     * @param chart    the chart reference on that host, its tag the version as written
     * @return what to walk, or that no tag matches
     * @throws RegistryAccessException when the tag list cannot be read
     */
    static ChartVersionResolution resolve(RegistryAccess registry, ImageReference chart)
            throws RegistryAccessException {
        Optional<VersionConstraint> constraint = chart.tag().flatMap(VersionConstraint::readByHelm);
        if (constraint.isEmpty() || chart.digest().isPresent()) {
            return new Resolved(chart, Optional.empty());
        }
        List<String> tags = registry.tags(chart.repository());
        return constraint.get().highestMatchingTag(tags)
                .<ChartVersionResolution>map(tag -> new Resolved(chart.withTag(tag), Optional.of(tag)))
                .orElseGet(() -> new NoMatchingVersion(constraint.get().toString(), tags.size()));
    }
}

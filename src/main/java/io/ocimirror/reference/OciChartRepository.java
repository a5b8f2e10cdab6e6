package io.ocimirror.reference;

import io.ocimirror.reference.InvalidReferenceException.Reason;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A Helm chart repository on an OCI registry, as written in {@code spec.helmChart.repository}:
 * {@code oci://registry[:port][/path]}. With a chart name and version it becomes the artifact reference
 * {@code registry/path/name:version} that registries and the rewrite rule work with.
 */
public final class OciChartRepository {

    public static final String SCHEME = "oci://";

    private final String registry;
    private final String path;

    private OciChartRepository(String registry, String path) {
        this.registry = registry;
        this.path = path;
    }

    /** Whether Helm would treat the repository as an OCI registry (anything else is a classic HTTP repository). */
    public static boolean isOci(String repository) {
        return repository.startsWith(SCHEME);
    }

    /**
     * Parses {@code oci://host[:port][/path]}; trailing slashes are ignored. The host is always the registry (unlike
     * in an image reference, where a first component without a dot is a Docker Hub path).
     *
     * @throws InvalidReferenceException if it is not an {@code oci://} URL of a registry and a repository path
     */
    public static OciChartRepository parse(String repository) throws InvalidReferenceException {
        Objects.requireNonNull(repository, "repository");
        if (!isOci(repository)) {
            throw new InvalidReferenceException(repository, Reason.INVALID_FORMAT);
        }
        String rest = stripTrailingSlashes(repository.substring(SCHEME.length()));
        if (rest.isEmpty()) {
            throw new InvalidReferenceException(repository, Reason.EMPTY);
        }
        int slash = rest.indexOf('/');
        String host = slash < 0 ? rest : rest.substring(0, slash);
        String path = slash < 0 ? "" : rest.substring(slash + 1);
        if (!ImageReference.isValidRegistry(host)) {
            throw new InvalidReferenceException(repository, Reason.INVALID_FORMAT);
        }
        if (!path.isEmpty() && !ImageReference.isValidRepository(path)) {
            Reason reason = path.equals(path.toLowerCase(Locale.ROOT))
                    ? Reason.INVALID_FORMAT
                    : Reason.UPPERCASE_REPOSITORY;
            throw new InvalidReferenceException(repository, reason);
        }
        return new OciChartRepository(ImageReference.normalizeRegistry(host), path);
    }

    /**
     * The repository Helm and Flux join with a chart name to find the chart: {@code oci://mirror/sub/devops} for the
     * chart reference {@code mirror/sub/devops/team/app:1.0} of the chart named {@code team/app}. Every path component
     * before the name is kept, whatever {@code /} the name holds.
     *
     * @param chart a chart reference whose repository ends with the name
     * @param name  the chart name as written in {@code spec.helmChart.name}
     * @throws IllegalArgumentException if the reference's repository does not end with the name
     */
    public static OciChartRepository holding(ImageReference chart, String name) {
        String repository = chart.repository();
        if (repository.equals(name)) {
            return new OciChartRepository(chart.registry(), "");
        }
        if (!repository.endsWith("/" + name)) {
            throw new IllegalArgumentException("chart reference " + chart + " does not end with the name " + name);
        }
        return new OciChartRepository(chart.registry(), repository.substring(0, repository.length() - name.length() - 1));
    }

    /**
     * The chart's artifact reference. Helm stores a version's {@code +} as {@code _} in the OCI tag (tags cannot hold
     * {@code +}).
     *
     * @param version empty when the object names none: the reference is then tagless
     * @throws InvalidReferenceException if the name cannot be a repository path, the version not a tag, or the
     *                                   chart's name ({@code registry/path/name}) is longer than 255 characters
     */
    public ImageReference chart(String name, Optional<String> version) throws InvalidReferenceException {
        String repository = path.isEmpty() ? name : path + "/" + name;
        if (!ImageReference.isValidRepository(repository)) {
            throw new InvalidReferenceException(name, Reason.INVALID_FORMAT);
        }
        if (registry.length() + 1 + repository.length() > ReferenceGrammar.NAME_TOTAL_LENGTH_MAX) {
            throw new InvalidReferenceException(registry + "/" + repository, Reason.NAME_TOO_LONG);
        }
        if (version.isPresent() && !isValidVersion(version.get())) {
            throw new InvalidReferenceException(version.get(), Reason.INVALID_FORMAT);
        }
        return ImageReference.of(registry, repository, version.map(OciChartRepository::tag), Optional.empty());
    }

    /** Whether a chart version can be an OCI tag (a semver range such as {@code >=1.0} cannot). */
    public static boolean isValidVersion(String version) {
        return ReferenceGrammar.TAG.matcher(tag(version)).matches();
    }

    private static String tag(String version) {
        return version.replace('+', '_');
    }

    public String registry() {
        return registry;
    }

    /** The path below the registry, without slashes at either end; empty for {@code oci://host}. */
    public String path() {
        return path;
    }

    @Override
    public String toString() {
        return SCHEME + registry + (path.isEmpty() ? "" : "/" + path);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof OciChartRepository that && registry.equals(that.registry) && path.equals(that.path);
    }

    @Override
    public int hashCode() {
        return Objects.hash(registry, path);
    }

    private static String stripTrailingSlashes(String text) {
        int end = text.length();
        while (end > 0 && text.charAt(end - 1) == '/') {
            end--;
        }
        return text.substring(0, end);
    }
}

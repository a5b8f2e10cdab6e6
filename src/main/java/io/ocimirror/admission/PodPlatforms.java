package io.ocimirror.admission;

import com.fasterxml.jackson.databind.JsonNode;
import io.ocimirror.config.MirrorConfiguration.ReplicationScope;
import io.ocimirror.config.Platform;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The platforms a Pod says it runs on, so replication warms the index children its nodes pull and not just the
 * configured default: {@code spec.os.name}, and the {@code kubernetes.io/os} / {@code kubernetes.io/arch} node labels
 * in {@code nodeSelector} and in required node affinity (Kubernetes API, "Assign Pods to Nodes"). A dimension the
 * Pod does not constrain comes from the configured platforms: a Windows Pod under {@code [linux/amd64]} warms
 * {@code windows/amd64}.
 */
final class PodPlatforms {

    private static final List<String> OS_LABELS = List.of("kubernetes.io/os", "beta.kubernetes.io/os");
    private static final List<String> ARCH_LABELS = List.of("kubernetes.io/arch", "beta.kubernetes.io/arch");
    /** The characters of a platform's os and architecture in the configuration; anything else is not a platform. */
    private static final Pattern PLATFORM_PART = Pattern.compile("[a-z0-9_]{1,32}");
    /** More platforms than any cluster runs: a Pod that lists more is warmed for the configured ones. */
    static final int MAX_PLATFORMS = 16;

    /** What the methods here read, below {@code spec}. */
    static final Map<String, JsonSelection> READS = Map.of(
            "os", JsonSelection.wholeFields("name"),
            "nodeSelector", JsonSelection.WHOLE,
            "affinity", JsonSelection.fields(Map.of("nodeAffinity",
                    JsonSelection.wholeFields("requiredDuringSchedulingIgnoredDuringExecution"))));

    private PodPlatforms() {
    }

    /**
     * @param pod        the Pod as in the review (fields missing or of the wrong type count as not given)
     * @param configured the configured replication settings
     * @return {@code configured} with the platforms the Pod's nodes run, or {@code configured} itself when the Pod
     *         says nothing, contradicts itself, or every platform is configured anyway
     */
    static ReplicationScope of(JsonNode pod, ReplicationScope configured) {
        if (configured.platforms().isEmpty()) {
            return configured;
        }
        JsonNode spec = pod.path("spec");
        Optional<Set<String>> oses = constraint(spec, OS_LABELS, spec.path("os").path("name"));
        Optional<Set<String>> architectures = constraint(spec, ARCH_LABELS, null);
        if (oses.isEmpty() && architectures.isEmpty()) {
            return configured;
        }
        Set<String> osValues = oses.orElseGet(() -> configuredParts(configured, Platform::os));
        Set<String> architectureValues = architectures.orElseGet(() -> configuredParts(configured, Platform::architecture));
        if (osValues.isEmpty() || architectureValues.isEmpty()
                || osValues.size() * architectureValues.size() > MAX_PLATFORMS) {
            return configured;
        }
        List<Platform> platforms = new ArrayList<>();
        for (String os : osValues) {
            for (String architecture : architectureValues) {
                List<Platform> variants = configured.platforms().stream()
                        .filter(p -> p.os().equals(os) && p.architecture().equals(architecture))
                        .toList();
                platforms.addAll(variants.isEmpty() ? List.of(new Platform(os, architecture, Optional.empty())) : variants);
            }
        }
        return configured.withPlatforms(List.copyOf(platforms));
    }

    /**
     * The values a node label may have for the Pod to run there, from every place that constrains it (all must
     * hold); empty when nothing constrains it.
     */
    private static Optional<Set<String>> constraint(JsonNode spec, List<String> labels, JsonNode field) {
        Optional<Set<String>> allowed = Optional.empty();
        if (field != null && field.isTextual()) {
            allowed = intersect(allowed, values(List.of(field)));
        }
        JsonNode nodeSelector = spec.path("nodeSelector");
        for (String label : labels) {
            JsonNode value = nodeSelector.path(label);
            if (value.isTextual()) {
                allowed = intersect(allowed, values(List.of(value)));
            }
        }
        Optional<Set<String>> affinity = requiredAffinity(spec, labels);
        if (affinity.isPresent()) {
            allowed = intersect(allowed, affinity.get());
        }
        return allowed;
    }

    /**
     * Node selector terms are alternatives: the label is constrained only if every term constrains it with
     * {@code In}, and then to the union of their values.
     */
    private static Optional<Set<String>> requiredAffinity(JsonNode spec, List<String> labels) {
        JsonNode terms = spec.path("affinity").path("nodeAffinity")
                .path("requiredDuringSchedulingIgnoredDuringExecution").path("nodeSelectorTerms");
        if (!terms.isArray() || terms.isEmpty()) {
            return Optional.empty();
        }
        Set<String> union = new LinkedHashSet<>();
        for (JsonNode term : terms) {
            Optional<Set<String>> inTerm = Optional.empty();
            JsonNode expressions = term.path("matchExpressions");
            for (JsonNode expression : expressions.isArray() ? expressions : List.<JsonNode>of()) {
                if (labels.contains(expression.path("key").asText("")) && expression.path("operator").asText("").equals("In")
                        && expression.path("values").isArray()) {
                    inTerm = intersect(inTerm, values(expression.path("values")));
                }
            }
            if (inTerm.isEmpty()) {
                return Optional.empty();
            }
            union.addAll(inTerm.get());
        }
        return Optional.of(union);
    }

    private static Set<String> values(Iterable<JsonNode> nodes) {
        Set<String> values = new LinkedHashSet<>();
        for (JsonNode node : nodes) {
            if (node.isTextual() && PLATFORM_PART.matcher(node.asText()).matches()) {
                values.add(node.asText());
            }
        }
        return values;
    }

    private static Optional<Set<String>> intersect(Optional<Set<String>> allowed, Set<String> values) {
        if (allowed.isEmpty()) {
            return Optional.of(values);
        }
        Set<String> both = new LinkedHashSet<>(allowed.get());
        both.retainAll(values);
        return Optional.of(both);
    }

    private static Set<String> configuredParts(ReplicationScope configured, Function<Platform, String> part) {
        Set<String> parts = new LinkedHashSet<>();
        configured.platforms().forEach(p -> parts.add(part.apply(p)));
        return parts;
    }
}

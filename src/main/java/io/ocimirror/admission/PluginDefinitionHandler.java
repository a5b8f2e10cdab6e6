package io.ocimirror.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.ocimirror.config.MirrorConfiguration;
import io.ocimirror.reference.ImageReference;
import io.ocimirror.reference.InvalidReferenceException;
import io.ocimirror.reference.OciChartRepository;
import io.ocimirror.replication.ReplicationRequest.ObjectOrigin;
import io.ocimirror.rewrite.Rewrite;
import io.ocimirror.rewrite.RewriteGate;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;

/**
 * Rewrites the OCI chart repository of Greenhouse {@code PluginDefinition} (namespaced) and
 * {@code ClusterPluginDefinition} (cluster-scoped) objects on {@code CREATE} and {@code UPDATE}:
 * {@code oci://ghcr.io/org/charts} becomes {@code oci://mirror.example.com/ghcr-mirror/org/charts}, and the chart
 * {@code <registry>/<path>/<name>:<version>} on the replication host is handed to replication.
 */
@ApplicationScoped
public class PluginDefinitionHandler implements AdmissionHandler {

    /** The repository as written before the first rewrite. */
    public static final String ORIGINAL_REPOSITORY_ANNOTATION = "oci-mirror.io/original-chart-repository";

    static final String GROUP = "greenhouse.sap";
    private static final String REPOSITORY_PATH = "/spec/helmChart/repository";
    private static final String REPOSITORY_FIELD = "spec.helmChart.repository";
    private static final JsonSelection READS = JsonSelection.fields(Map.of(
            "apiVersion", JsonSelection.WHOLE,
            "kind", JsonSelection.WHOLE,
            "metadata", JsonSelection.wholeFields("name"),
            "spec", JsonSelection.fields(Map.of(
                    "helmChart", JsonSelection.wholeFields("repository", "name", "version")))));

    @Override
    public boolean handles(AdmissionRequest request) {
        return request.group().equals(GROUP)
                && (request.resource().equals("plugindefinitions") || request.resource().equals("clusterplugindefinitions"))
                && request.subResource().isEmpty()
                && (request.isCreate() || request.isUpdate());
    }

    @Override
    public String kind() {
        return "plugindefinition";
    }

    @Override
    public JsonSelection reads() {
        return READS;
    }

    @Override
    public AdmissionOutcome handle(AdmissionRequest request, MirrorConfiguration configuration, RewriteGate gate) {
        JsonNode object = request.object();
        RewriteCollector collector = new RewriteCollector(configuration, gate, Optional.of(origin(request)));
        JsonPatch patch = new JsonPatch();
        JsonNode helmChart = object.path("spec").path("helmChart");
        JsonNode repositoryNode = helmChart.path("repository");
        if (!repositoryNode.isTextual() || !OciChartRepository.isOci(repositoryNode.asText())) {
            return collector.outcome(patch);
        }
        String repositoryText = repositoryNode.asText();
        Optional<ImageReference> chart = chartReference(repositoryText, helmChart, collector);
        if (chart.isEmpty()) {
            return collector.outcome(patch);
        }
        boolean versioned = chart.get().tag().isPresent();
        if (!versioned) {
            collector.warn("spec.helmChart.version names no tag: the chart is mirrored but not replicated");
        }
        Optional<Rewrite> rewrite = collector.rewrite(chart.get(), versioned);
        if (rewrite.isPresent() && rewrite.get().changesReference()) {
            String mirrored = OciChartRepository.holding(rewrite.get().pull());
            patch.testAndReplace(REPOSITORY_PATH, repositoryNode, TextNode.valueOf(mirrored));
            if (!ObjectMetadata.annotation(object, ORIGINAL_REPOSITORY_ANNOTATION).equals(Optional.of(repositoryText))) {
                ObjectMetadata.setAnnotation(patch, object, ORIGINAL_REPOSITORY_ANNOTATION, repositoryText);
            }
        }
        return collector.outcome(patch);
    }

    /**
     * The chart as an artifact reference; a repository or chart name that cannot be one is left with a warning, a
     * version that cannot be a tag gives a tagless reference (mirrored, not replicated).
     */
    private static Optional<ImageReference> chartReference(String repositoryText, JsonNode helmChart,
            RewriteCollector collector) {
        OciChartRepository repository;
        try {
            repository = OciChartRepository.parse(repositoryText);
        } catch (InvalidReferenceException e) {
            collector.warnInvalid(REPOSITORY_FIELD, e);
            return Optional.empty();
        }
        JsonNode name = helmChart.path("name");
        if (!name.isTextual() || name.asText().isBlank()) {
            collector.warn("spec.helmChart.name is not set: " + REPOSITORY_FIELD + " left unchanged");
            return Optional.empty();
        }
        JsonNode version = helmChart.path("version");
        Optional<String> versionText = version.isTextual() && !version.asText().isBlank()
                ? Optional.of(version.asText())
                : Optional.empty();
        if (versionText.isPresent() && !OciChartRepository.isValidVersion(versionText.get())) {
            collector.warnInvalid("spec.helmChart.version", new InvalidReferenceException(versionText.get(),
                    InvalidReferenceException.Reason.INVALID_FORMAT));
            versionText = Optional.empty();
        }
        try {
            return Optional.of(repository.chart(name.asText(), versionText));
        } catch (InvalidReferenceException e) {
            collector.warnInvalid("spec.helmChart.name", e);
            return Optional.empty();
        }
    }

    private static ObjectOrigin origin(AdmissionRequest request) {
        JsonNode object = request.object();
        return new ObjectOrigin(
                object.path("apiVersion").asText(GROUP + "/v1alpha1"),
                object.path("kind").asText(request.resource().equals("plugindefinitions")
                        ? "PluginDefinition"
                        : "ClusterPluginDefinition"),
                request.namespace(),
                object.path("metadata").path("name").asText(""));
    }
}

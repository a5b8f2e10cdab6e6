package io.ocimirror.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import io.ocimirror.config.MirrorConfiguration;
import io.ocimirror.config.OwnedConfiguration;
import io.ocimirror.reference.ImageReference;
import io.ocimirror.reference.InvalidReferenceException;
import io.ocimirror.reference.OciChartRepository;
import io.ocimirror.rewrite.ReplicationRequest.ArtifactKind;
import io.ocimirror.rewrite.ReplicationRequest.ObjectOrigin;
import io.ocimirror.rewrite.Rewrite;
import io.ocimirror.rewrite.RewriteMode;
import io.ocimirror.rewrite.RewriteOutcome.CannotMirror;
import io.ocimirror.rewrite.RewriteOutcome.Rewritten;
import io.ocimirror.rewrite.RewriteOutcome.Unchanged;
import io.ocimirror.rewrite.RewriteOutcome;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;

/**
 * Rewrites the OCI chart repository of Greenhouse {@code PluginDefinition} (namespaced) and
 * {@code ClusterPluginDefinition} (cluster-scoped) objects on {@code CREATE} and {@code UPDATE}:
 * {@code oci://ghcr.io/org/charts} becomes {@code oci://mirror.example.com/ghcr-mirror/org/charts} (the registry
 * replaced by the mirror's base domain and sub-path, every other path component kept), and the chart
 * {@code <registry>/<path>/<name>:<version>} on the replication host is handed to replication, whatever {@code /}
 * the name holds.
 */
@ApplicationScoped
public class PluginDefinitionHandler implements AdmissionHandler {

    /** The repository as written before the first rewrite. */
    public static final String ORIGINAL_REPOSITORY_ANNOTATION = "oci-mirror.io/original-chart-repository";

    static final String GROUP = "greenhouse.sap";
    private static final String REPOSITORY_PATH = "/spec/helmChart/repository";
    private static final String REPOSITORY_FIELD = "spec.helmChart.repository";
    /** The key of the chart in the record of decisions. */
    static final String DECISION_KEY = "helmChart";
    private static final JsonSelection READS = JsonSelection.fields(Map.of(
            "apiVersion", JsonSelection.WHOLE,
            "kind", JsonSelection.WHOLE,
            "metadata", JsonSelection.wholeFields("name"),
            "spec", JsonSelection.fields(Map.of(
                    "helmChart", JsonSelection.wholeFields("repository", "name", "version")))));

    private final Rewriter rewriter;
    private final ObjectMapper mapper;

    public PluginDefinitionHandler(Rewriter rewriter, ObjectMapper mapper) {
        this.rewriter = rewriter;
        this.mapper = mapper;
    }

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
    public AdmissionOutcome handle(AdmissionRequest request, OwnedConfiguration owned, RewriteMode mode) {
        JsonNode object = request.object();
        MirrorConfiguration configuration = owned.snapshot();
        RewriteCollector collector =
                rewriter.collector(configuration, configuration, owned.owner(), Optional.of(origin(request)));
        JsonPatch patch = new JsonPatch();
        JsonNode helmChart = object.path("spec").path("helmChart");
        JsonNode repositoryNode = helmChart.path("repository");
        Decisions decisions = new Decisions();
        Optional<Rewrite> rewrite = Optional.empty();
        if (repositoryNode.isTextual() && OciChartRepository.isOci(repositoryNode.asText())) {
            String repositoryText = repositoryNode.asText();
            Optional<ImageReference> chart = parseRepository(repositoryText, collector)
                    .flatMap(repository -> chartReference(repository, helmChart, collector));
            RewriteOutcome outcome = new CannotMirror(repositoryText, CannotMirror.Problem.INVALID_REFERENCE,
                    "repository, name or version cannot form a chart reference");
            if (chart.isPresent()) {
                boolean versioned = chart.get().tag().isPresent();
                if (!versioned) {
                    collector.warn("spec.helmChart.version names no tag: the chart is mirrored but not replicated");
                }
                outcome = collector.reference(chart.get(), REPOSITORY_FIELD, repositoryText, versioned,
                        ArtifactKind.HELM_CHART);
            }
            rewrite = outcome instanceof Rewritten rewritten && mode == RewriteMode.ENFORCE
                    ? Optional.of(rewritten.rewrite())
                    : Optional.empty();
            decisions.add(DECISION_KEY, repositoryText, rewrittenEarlier(outcome, object, helmChart, collector));
        }
        if (rewrite.isPresent()) {
            String mirrored = OciChartRepository.holding(rewrite.get().pull(), helmChart.path("name").asText())
                    .toString();
            patch.testAndReplace(REPOSITORY_PATH, repositoryNode, TextNode.valueOf(mirrored));
            if (!ObjectMetadata.annotation(object, ORIGINAL_REPOSITORY_ANNOTATION)
                    .equals(Optional.of(repositoryNode.asText()))) {
                ObjectMetadata.setAnnotation(patch, object, ORIGINAL_REPOSITORY_ANNOTATION, repositoryNode.asText());
            }
        } else if (ObjectMetadata.annotation(object, ORIGINAL_REPOSITORY_ANNOTATION)
                .filter(recorded -> !isMirroredFormOf(repositoryNode, recorded, helmChart, collector))
                .isPresent()) {
            // Copied with the object, or the repository was changed since: the record would only mislead.
            ObjectMetadata.removeAnnotation(patch, object, ORIGINAL_REPOSITORY_ANNOTATION);
        }
        if (!configuration.mirrors().isEmpty()) {
            decisions.record(patch, object, mapper, mode == RewriteMode.OBSERVE);
        }
        return collector.outcome(patch, decisions);
    }

    /**
     * The decision to record for a chart: a repository an earlier invocation rewrote (it is the mirrored form of the
     * recorded original) counts as rewritten, so that admitting the webhook's own output records nothing new.
     */
    private static RewriteOutcome rewrittenEarlier(RewriteOutcome outcome, JsonNode object, JsonNode helmChart,
            RewriteCollector collector) {
        Optional<String> recorded = ObjectMetadata.annotation(object, ORIGINAL_REPOSITORY_ANNOTATION);
        if (outcome instanceof Unchanged unchanged && recorded.isPresent()
                && isMirroredFormOf(helmChart.path("repository"), recorded.get(), helmChart, collector)) {
            return unchanged.onMirror().<RewriteOutcome>map(Rewritten::new).orElse(outcome);
        }
        return outcome;
    }

    /**
     * Whether the repository as it is now is where the rule puts a chart of this name from the recorded repository:
     * then an earlier invocation wrote it and the record still describes it.
     */
    private static boolean isMirroredFormOf(JsonNode current, String recorded, JsonNode helmChart,
            RewriteCollector collector) {
        JsonNode name = helmChart.path("name");
        if (!current.isTextual() || !name.isTextual()) {
            return false;
        }
        try {
            OciChartRepository now = OciChartRepository.parse(current.asText());
            ImageReference chart = OciChartRepository.parse(recorded).chart(name.asText(), Optional.empty());
            return collector.mirroredForm(chart)
                    .map(pull -> OciChartRepository.holding(pull, name.asText()))
                    .filter(now::equals)
                    .isPresent();
        } catch (InvalidReferenceException e) {
            return false;
        }
    }

    private static Optional<OciChartRepository> parseRepository(String repositoryText, RewriteCollector collector) {
        try {
            return Optional.of(OciChartRepository.parse(repositoryText));
        } catch (InvalidReferenceException e) {
            collector.warnInvalid(REPOSITORY_FIELD, e);
            return Optional.empty();
        }
    }

    /**
     * The chart as an artifact reference; a chart name that cannot be one is left with a warning, a version that
     * cannot be a tag gives a tagless reference (mirrored, not replicated).
     */
    private static Optional<ImageReference> chartReference(OciChartRepository repository, JsonNode helmChart,
            RewriteCollector collector) {
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

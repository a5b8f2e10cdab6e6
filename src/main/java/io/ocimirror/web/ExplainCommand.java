package io.ocimirror.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ocimirror.admission.AdmissionOutcome;
import io.ocimirror.admission.AdmissionRequest;
import io.ocimirror.admission.AdmissionWebhook;
import io.ocimirror.admission.ObjectOptOut;
import io.ocimirror.admission.PluginDefinitionHandler;
import io.ocimirror.admission.PodHandler;
import io.ocimirror.admission.ReferenceDecision;
import io.ocimirror.admission.Rewriter;
import io.ocimirror.config.ConfigurationOwner;
import io.ocimirror.config.MirrorConfiguration;
import io.ocimirror.configstore.ConfigurationStore;
import io.ocimirror.greenhouse.MirrorConfigurationRouter;
import io.ocimirror.rewrite.ReplicationRequest;
import io.ocimirror.rewrite.RewriteGate;
import io.ocimirror.rewrite.RewriteMode;
import io.ocimirror.rewrite.RewriteOutcome;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code explain --config FILE [--namespace NS] (IMAGE... | --object FILE) [--output json]} command: what the
 * webhook would decide for each reference, before Quarkus starts and without a cluster. It runs the admission
 * webhook itself ({@link AdmissionWebhook#admit}, with its Pod and PluginDefinition handlers) over a dry-run request
 * for the object, or for a Pod with one container per image, with every rewrite let through (no mirror state is
 * known offline, so nothing is held back here).
 */
final class ExplainCommand {

    static final String COMMAND = "explain";
    static final String USAGE_LINE = "usage: java -jar quarkus-run.jar explain --config FILE [--namespace NS]"
            + " (IMAGE... | --object FILE) [--output text|json]";
    /** Every reference would be rewritten. */
    static final int REWRITTEN = 0;
    /** The configuration or the object cannot be read. */
    static final int UNREADABLE = 1;
    static final int USAGE = 2;
    /** {@code --help}: the usage was asked for and printed. */
    static final int HELP_PRINTED = 0;
    /** A reference would be held back (only with live state; offline nothing is). */
    static final int HELD_BACK = 3;
    /** A reference would stay as written: no mirror, excluded, already on a mirror, or skipped. */
    static final int UNCHANGED = 4;
    /** A reference cannot be mirrored. */
    static final int CANNOT_MIRROR = 5;

    private static final String DEFAULT_NAMESPACE = "default";
    private static final String IMAGE_CONTAINER_PREFIX = "image-";

    private final PrintStream out;
    private final PrintStream err;
    private final ObjectMapper json = new ObjectMapper();

    ExplainCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /** The parsed arguments. */
    private record Arguments(Path config, String namespace, List<String> images, Optional<Path> object, boolean json) {
    }

    /**
     * @param arguments the arguments after {@code explain}
     * @return the exit code: the highest of {@link #REWRITTEN}, {@link #HELD_BACK}, {@link #UNCHANGED} and
     *     {@link #CANNOT_MIRROR} over the references, {@link #UNREADABLE} when the configuration or object cannot
     *     be read, {@link #USAGE} for wrong arguments; 0 after printing the usage for {@code --help}
     */
    int run(List<String> arguments) {
        if (arguments.stream().anyMatch(WebhookMain.HELP::contains)) {
            out.println(USAGE_LINE);
            return HELP_PRINTED;
        }
        Optional<Arguments> parsed = parse(arguments);
        if (parsed.isEmpty()) {
            err.println(USAGE_LINE);
            return USAGE;
        }
        Arguments args = parsed.get();
        ConfigurationStore store = new ConfigurationStore(new SimpleMeterRegistry());
        JsonNode object;
        try {
            if (store.apply(ConfigurationOwner.WEBHOOK, Files.readString(args.config(), StandardCharsets.UTF_8),
                    args.config().toString()) instanceof ConfigurationStore.Update.Rejected rejected) {
                err.println(args.config() + ": invalid: " + rejected.problem());
                return UNREADABLE;
            }
            object = args.object().isPresent() ? readObject(args.object().get()) : podOf(args.images());
        } catch (IOException | RuntimeException e) {
            err.println("cannot be read: " + e.getMessage());
            return UNREADABLE;
        }
        Optional<AdmissionRequest> request = requestFor(object, args.namespace());
        if (request.isEmpty()) {
            err.println("not a Pod, PluginDefinition or ClusterPluginDefinition: kind "
                    + object.path("kind").asText("(none)"));
            return UNREADABLE;
        }
        List<ReferenceExplanation> explanations = explain(request.get(), store, args.images());
        print(explanations, args.json());
        return explanations.stream().mapToInt(e -> exitCode(e.decision())).max().orElse(REWRITTEN);
    }

    /** What admission decides for the request, each reference explained. */
    private List<ReferenceExplanation> explain(AdmissionRequest request, ConfigurationStore store,
            List<String> images) {
        List<ReplicationRequest> scheduled = new ArrayList<>();
        Rewriter rewriter = new Rewriter(RewriteGate.ALWAYS);
        AdmissionWebhook webhook = new AdmissionWebhook(
                List.of(new PodHandler(json, rewriter), new PluginDefinitionHandler(rewriter, json)),
                MirrorConfigurationRouter.ownConfigurationOnly(store), scheduled::add, new SimpleMeterRegistry(),
                json);
        MirrorConfiguration snapshot = store.snapshot(ConfigurationOwner.WEBHOOK).orElseThrow();
        Optional<RewriteOutcome.Skipped.Reason> optOut = ObjectOptOut.of(request, snapshot);
        if (optOut.isPresent()) {
            RewriteOutcome.Skipped skipped = new RewriteOutcome.Skipped(optOut.get());
            return List.of(ReferenceExplanation.skipped("object", request.object().path("metadata").path("name")
                    .asText(""), skipped));
        }
        AdmissionOutcome outcome = webhook.admit(request, RewriteMode.OBSERVE);
        MirrorConfiguration.ReplicationScope scope = outcome.replications().stream().findFirst()
                .map(r -> r.configuration().replication())
                .orElse(snapshot.replication());
        List<ReferenceExplanation> explanations = new ArrayList<>();
        for (ReferenceDecision decision : outcome.decisions()) {
            explanations.add(ReferenceExplanation.of(decision, scope));
        }
        return explanations;
    }

    private void print(List<ReferenceExplanation> explanations, boolean asJson) {
        if (asJson) {
            ArrayNode array = JsonNodeFactory.instance.arrayNode();
            explanations.forEach(e -> array.add(e.toJson()));
            out.println(array.toPrettyString());
        } else {
            explanations.forEach(e -> out.println(e.toText()));
        }
    }

    static int exitCode(String decision) {
        if (decision.equals("rewritten")) {
            return REWRITTEN;
        }
        if (decision.startsWith("held-back:")) {
            return HELD_BACK;
        }
        if (decision.startsWith("cannot-mirror:")) {
            return CANNOT_MIRROR;
        }
        return UNCHANGED;
    }

    private static Optional<Arguments> parse(List<String> arguments) {
        Path config = null;
        String namespace = DEFAULT_NAMESPACE;
        Path object = null;
        boolean asJson = false;
        List<String> images = new ArrayList<>();
        for (int i = 0; i < arguments.size(); i++) {
            String argument = arguments.get(i);
            boolean hasValue = i + 1 < arguments.size();
            switch (argument) {
                case "--config", "--namespace", "--object", "--output" -> {
                    if (!hasValue) {
                        return Optional.empty();
                    }
                    String value = arguments.get(++i);
                    switch (argument) {
                        case "--config" -> config = Path.of(value);
                        case "--namespace" -> namespace = value;
                        case "--object" -> object = Path.of(value);
                        default -> {
                            if (!value.equals("json") && !value.equals("text")) {
                                return Optional.empty();
                            }
                            asJson = value.equals("json");
                        }
                    }
                }
                default -> {
                    if (argument.startsWith("--")) {
                        return Optional.empty();
                    }
                    images.add(argument);
                }
            }
        }
        if (config == null || (object == null) == images.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Arguments(config, namespace, List.copyOf(images), Optional.ofNullable(object), asJson));
    }

    /** A Pod or plugin definition from a YAML or JSON file (JSON is YAML). */
    private static JsonNode readObject(Path file) throws IOException {
        return new YAMLMapper().readTree(Files.readString(file, StandardCharsets.UTF_8));
    }

    /** A Pod with one container per image, named {@code image-<n>}. */
    static JsonNode podOf(List<String> images) {
        ObjectNode pod = JsonNodeFactory.instance.objectNode().put("apiVersion", "v1").put("kind", "Pod");
        pod.putObject("metadata").put("name", "explain");
        ArrayNode containers = pod.putObject("spec").putArray("containers");
        for (int i = 0; i < images.size(); i++) {
            containers.addObject().put("name", IMAGE_CONTAINER_PREFIX + i).put("image", images.get(i));
        }
        return pod;
    }

    /** The dry-run CREATE request the API server would send for the object; empty for a kind the webhook skips. */
    static Optional<AdmissionRequest> requestFor(JsonNode object, String namespace) {
        Map<String, String[]> kinds = Map.of(
                "Pod", new String[] {"", "pods"},
                "PluginDefinition", new String[] {"greenhouse.sap", "plugindefinitions"},
                "ClusterPluginDefinition", new String[] {"greenhouse.sap", "clusterplugindefinitions"});
        String[] resource = kinds.get(object.path("kind").asText(""));
        if (resource == null) {
            return Optional.empty();
        }
        String objectNamespace = resource[1].equals("clusterplugindefinitions") ? ""
                : object.path("metadata").path("namespace").asText(namespace);
        return Optional.of(new AdmissionRequest("explain", resource[0], resource[1], "", "CREATE", objectNamespace,
                true, object, MissingNode.getInstance()));
    }
}

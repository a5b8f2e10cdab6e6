package io.ocimirror.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ocimirror.rewrite.ReplicationRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The admission reads only the parts of the objects its handlers declare; every review gets the same answer and the
 * same replications as when the whole review is read. A handler that reads a field it does not declare fails here.
 */
class SelectiveReadingTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final List<ReplicationRequest> scheduled = new ArrayList<>();
    private final AdmissionWebhook admission = ExampleWebhook.create(MAPPER, scheduled::add);

    @ParameterizedTest(name = "{0}")
    @MethodSource("reviews")
    void answersAsIfTheWholeReviewWasRead(String name, byte[] review) throws Exception {
        AdmissionReviewCodec whole = new AdmissionReviewCodec(MAPPER, JsonSelection.WHOLE);
        AdmissionReviewCodec selective = new AdmissionReviewCodec(MAPPER, admission.objectParts());

        AdmissionOutcome expected = admission.admit(whole.read(review));
        List<ReplicationRequest> expectedReplications = List.copyOf(scheduled);
        scheduled.clear();
        AdmissionOutcome actual = admission.admit(selective.read(review));

        assertEquals(expected.patch().operations(), actual.patch().operations());
        assertEquals(expected.warnings(), actual.warnings());
        assertEquals(expectedReplications, scheduled);
    }

    /** The reviews of examples/ and bench/, and variations that reach each branch of the handlers. */
    static Stream<Arguments> reviews() throws Exception {
        ObjectNode pod = review("examples/admission-review-pod.json");
        ObjectNode plugin = review("examples/admission-review-plugindefinition.json");
        return Stream.of(
                Arguments.of("example Pod", bytes(pod)),
                Arguments.of("example PluginDefinition", bytes(plugin)),
                Arguments.of("Deployment Pod (bench)", Files.readAllBytes(Path.of("bench/review-deployment-pod.json"))),
                Arguments.of("large Pod (bench)", Files.readAllBytes(Path.of("bench/review-large-pod.json"))),
                Arguments.of("Pod with earlier originals", edited(pod, r -> annotations(r)
                        .put(PodHandler.ORIGINAL_IMAGES_ANNOTATION, "{\"web\":\"nginx:1.24\",\"gone\":\"busybox\"}"))),
                Arguments.of("Pod without metadata", edited(pod, r -> object(r).remove("metadata"))),
                Arguments.of("Pod asking to be skipped", edited(pod, r -> annotations(r)
                        .put(ObjectMetadata.SKIP_ANNOTATION, "true"))),
                Arguments.of("Pod of an excluded operator", edited(pod, r -> object(r).withObjectProperty("metadata")
                        .putArray("ownerReferences").addObject().put("apiVersion", "postgresql.cnpg.io/v1")
                        .put("kind", "Cluster").put("name", "db"))),
                Arguments.of("Pod with an invalid and a non-string image", edited(pod, r -> {
                    ObjectNode spec = object(r).withObjectProperty("spec");
                    spec.withArray("initContainers").addObject().put("name", "bad").put("image", "UPPER/Case");
                    spec.withArray("containers").addObject().put("name", "num").put("image", 42);
                })),
                Arguments.of("ephemeral container added", edited(pod, r -> {
                    ObjectNode request = (ObjectNode) r.get("request");
                    request.put("operation", "UPDATE").put("subResource", "ephemeralcontainers");
                    ObjectNode old = object(r).deepCopy();
                    old.withObjectProperty("spec").putArray("ephemeralContainers").addObject().put("name", "debug-1")
                            .put("image", "busybox");
                    request.set("oldObject", old);
                    object(r).withObjectProperty("spec").set("ephemeralContainers", old.withObjectProperty("spec").get("ephemeralContainers")
                            .deepCopy());
                    object(r).withObjectProperty("spec").withArray("ephemeralContainers").addObject().put("name", "debug-2")
                            .put("image", "ghcr.io/org/debug:1");
                })),
                Arguments.of("Pod with pull policies, image volumes and a Windows node selector", edited(pod, r -> {
                    ObjectNode spec = object(r).withObjectProperty("spec");
                    spec.withArray("containers").addObject().put("name", "local").put("image", "app:dev")
                            .put("imagePullPolicy", "Never");
                    spec.withArray("volumes").addObject().put("name", "models").putObject("image")
                            .put("reference", "ghcr.io/org/models:1").put("pullPolicy", "IfNotPresent");
                    spec.withArray("volumes").addObject().put("name", "local-models").putObject("image")
                            .put("reference", "ghcr.io/org/models:2").put("pullPolicy", "Never");
                    spec.putObject("nodeSelector").put("kubernetes.io/os", "windows");
                })),
                Arguments.of("Pod with required node affinity on arm64", edited(pod, r -> object(r)
                        .withObjectProperty("spec").putObject("affinity").putObject("nodeAffinity")
                        .putObject("requiredDuringSchedulingIgnoredDuringExecution").putArray("nodeSelectorTerms")
                        .addObject().putArray("matchExpressions").addObject().put("key", "kubernetes.io/arch")
                        .put("operator", "In").putArray("values").add("arm64"))),
                Arguments.of("Pod with spec.os windows", edited(pod, r -> object(r).withObjectProperty("spec")
                        .putObject("os").put("name", "windows"))),
                Arguments.of("static Pod's API copy", edited(pod, r -> annotations(r)
                        .put(PodHandler.STATIC_POD_ANNOTATION, "0123456789abcdef"))),
                Arguments.of("PluginDefinition already annotated", edited(plugin, r -> annotations(r)
                        .put(PluginDefinitionHandler.ORIGINAL_REPOSITORY_ANNOTATION, "oci://ghcr.io/elsewhere"))),
                Arguments.of("PluginDefinition without version", edited(plugin, r -> object(r).withObjectProperty("spec")
                        .withObjectProperty("helmChart").remove("version"))),
                Arguments.of("ClusterPluginDefinition", edited(plugin, r -> {
                    ((ObjectNode) r.get("request").get("resource")).put("resource", "clusterplugindefinitions");
                    object(r).put("kind", "ClusterPluginDefinition");
                })));
    }

    private static ObjectNode review(String file) throws Exception {
        return (ObjectNode) MAPPER.readTree(Files.readAllBytes(Path.of(file)));
    }

    private static byte[] edited(ObjectNode review, Consumer<ObjectNode> edit) throws Exception {
        ObjectNode copy = review.deepCopy();
        edit.accept(copy);
        return bytes(copy);
    }

    private static byte[] bytes(JsonNode review) throws Exception {
        return MAPPER.writeValueAsBytes(review);
    }

    private static ObjectNode object(ObjectNode review) {
        return (ObjectNode) review.get("request").get("object");
    }

    private static ObjectNode annotations(ObjectNode review) {
        return object(review).withObjectProperty("metadata").withObjectProperty("annotations");
    }
}

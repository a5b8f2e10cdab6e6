package io.ocimirror.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorTermBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodFluent;
import io.ocimirror.config.MirrorConfiguration.ReplicationScope;
import io.ocimirror.config.Platform;
import io.ocimirror.config.ReplicationMode;
import io.ocimirror.rewrite.ReplicationRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PodPlatformsTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ReplicationScope LINUX_AMD64 = replication("linux/amd64");

    private static ReplicationScope replication(String... platforms) {
        List<Platform> parsed = new ArrayList<>();
        for (String platform : platforms) {
            String[] parts = platform.split("/");
            parsed.add(new Platform(parts[0], parts[1], parts.length > 2 ? Optional.of(parts[2]) : Optional.empty()));
        }
        return new ReplicationScope(ReplicationMode.FULL, List.copyOf(parsed));
    }

    private static JsonNode pod(UnaryOperator<PodFluent<PodBuilder>.SpecNested<PodBuilder>> spec) {
        return MAPPER.valueToTree(spec.apply(new PodBuilder().withNewMetadata().withName("p").endMetadata().withNewSpec()
                .addNewContainer().withName("c").withImage("app:1").endContainer()).endSpec().build());
    }

    private static UnaryOperator<PodFluent<PodBuilder>.SpecNested<PodBuilder>> requiredAffinity(
            String key, List<String>... termValues) {
        return spec -> {
            var terms = Stream.of(termValues).map(values -> new NodeSelectorTermBuilder().withMatchExpressions(
                    new NodeSelectorRequirementBuilder().withKey(key).withOperator("In").withValues(values).build())
                    .build()).toList();
            return spec.withNewAffinity().withNewNodeAffinity().withNewRequiredDuringSchedulingIgnoredDuringExecution()
                    .withNodeSelectorTerms(terms).endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity()
                    .endAffinity();
        };
    }

    static Stream<Arguments> pods() {
        return Stream.of(
                // case, Pod, configured platforms, platforms warmed
                Arguments.of("no constraint", pod(s -> s), LINUX_AMD64, LINUX_AMD64),
                Arguments.of("spec.os windows", pod(s -> s.withNewOs("windows")), LINUX_AMD64,
                        replication("windows/amd64")),
                Arguments.of("nodeSelector os windows", pod(s -> s.withNodeSelector(Map.of("kubernetes.io/os", "windows"))),
                        replication("linux/amd64", "linux/arm64"), replication("windows/amd64", "windows/arm64")),
                Arguments.of("nodeSelector arch arm64", pod(s -> s.withNodeSelector(Map.of("kubernetes.io/arch", "arm64"))),
                        LINUX_AMD64, replication("linux/arm64")),
                Arguments.of("legacy beta labels", pod(s -> s.withNodeSelector(Map.of("beta.kubernetes.io/arch", "arm64",
                        "beta.kubernetes.io/os", "linux"))), LINUX_AMD64, replication("linux/arm64")),
                Arguments.of("required affinity on two architectures",
                        pod(requiredAffinity("kubernetes.io/arch", List.of("amd64", "arm64"))), LINUX_AMD64,
                        replication("linux/amd64", "linux/arm64")),
                Arguments.of("alternative affinity terms",
                        pod(requiredAffinity("kubernetes.io/arch", List.of("arm64"), List.of("s390x"))), LINUX_AMD64,
                        replication("linux/arm64", "linux/s390x")),
                Arguments.of("a term that does not constrain the label",
                        pod(requiredAffinity("topology.kubernetes.io/zone", List.of("eu-1"))), LINUX_AMD64, LINUX_AMD64),
                Arguments.of("the configured variant kept", pod(s -> s.withNodeSelector(Map.of("kubernetes.io/arch", "arm"))),
                        replication("linux/amd64", "linux/arm/v6", "linux/arm/v7"),
                        replication("linux/arm/v6", "linux/arm/v7")),
                Arguments.of("contradiction", pod(s -> s.withNewOs("windows").withNodeSelector(Map.of("kubernetes.io/os",
                        "linux"))), LINUX_AMD64, LINUX_AMD64),
                Arguments.of("every platform configured", pod(s -> s.withNewOs("windows")),
                        new ReplicationScope(ReplicationMode.FULL, List.of()), new ReplicationScope(ReplicationMode.FULL, List.of())),
                Arguments.of("not a platform value", pod(s -> s.withNodeSelector(Map.of("kubernetes.io/arch", "ARM 64!"))),
                        LINUX_AMD64, LINUX_AMD64));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pods")
    void warmsThePlatformsThePodRunsOn(String name, JsonNode pod, ReplicationScope configured, ReplicationScope expected) {
        assertEquals(expected, PodPlatforms.of(pod, configured));
    }

    @Test
    void ignoresFieldsOfTheWrongType() {
        ObjectNode pod = MAPPER.createObjectNode();
        pod.putObject("spec").put("os", 42).put("nodeSelector", "linux").putArray("affinity");

        assertEquals(LINUX_AMD64, PodPlatforms.of(pod, LINUX_AMD64));
    }

    @Test
    void givesTheReplicationJobsOfAWindowsPodItsPlatforms() throws Exception {
        List<ReplicationRequest> scheduled = new ArrayList<>();
        AdmissionWebhook admission = ExampleWebhook.create(MAPPER, scheduled::add);
        ObjectNode review = (ObjectNode) MAPPER.readTree(Files.readString(Path.of("examples/admission-review-pod.json")));
        ((ObjectNode) review.at("/request/object/spec")).putObject("os").put("name", "windows");

        admission.admit(new AdmissionReviewCodec(MAPPER, admission.objectParts()).read(MAPPER.writeValueAsBytes(review)));

        assertFalse(scheduled.isEmpty());
        for (ReplicationRequest request : scheduled) {
            assertEquals(replication("windows/amd64"), request.configuration().replication(), request::toString);
        }
    }
}

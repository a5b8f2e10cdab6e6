package io.ocimirror.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** .github/workflows/release.yml: runs on a v* tag and publishes the image, the chart and the rendered install. */
class ReleaseWorkflowTest {

    private static JsonNode workflow;
    private static List<String> commands;

    @BeforeAll
    static void read() throws IOException {
        workflow = new ObjectMapper(new YAMLFactory()).readTree(Project.read(Path.of(".github", "workflows",
                "release.yml")));
        commands = new ArrayList<>();
        workflow.path("jobs").path("release").path("steps")
                .forEach(step -> commands.add(step.path("run").asText("") + step.path("uses").asText("")));
    }

    @Test
    void runsOnAVersionTagOnly() {
        assertEquals("[\"v*\"]", workflow.path("on").path("push").path("tags").toString());
        assertEquals(1, workflow.path("on").size(), "no other trigger");
    }

    static Stream<Arguments> steps() {
        return Stream.of(
                // case, a step's command (or action) contains all of these
                Arguments.of("checks the tag against the project version",
                        List.of("help:evaluate -Dexpression=project.version", "${GITHUB_REF_NAME#v}")),
                Arguments.of("logs in to the registry", List.of("docker/login-action@")),
                Arguments.of("pushes the image with Jib", List.of("./mvnw -B package -DskipTests",
                        "-Dquarkus.container-image.push=true",
                        "-Dquarkus.container-image.registry=${{ vars.IMAGE_REGISTRY }}",
                        "-Dquarkus.container-image.group=${{ vars.IMAGE_GROUP }}")),
                Arguments.of("pushes the chart, versioned by the tag", List.of(
                        "helm package deploy/helm/oci-mirror-webhook --version \"$VERSION\"",
                        "helm push \"oci-mirror-webhook-$VERSION.tgz\" \"oci://$REGISTRY/$GROUP/charts\"")),
                Arguments.of("points the chart at the pushed image",
                        List.of("repository: $REGISTRY/$GROUP/oci-mirror-webhook|")),
                Arguments.of("renders the kustomize install with the pushed image", List.of("../deploy/base",
                        "newName: $REGISTRY/$GROUP/oci-mirror-webhook", "kubectl kustomize release > oci-mirror-webhook.yaml")),
                Arguments.of("attaches it to the GitHub release",
                        List.of("gh release create \"$GITHUB_REF_NAME\" oci-mirror-webhook.yaml")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("steps")
    void hasTheStep(String name, List<String> fragments) {
        assertTrue(commands.stream().anyMatch(command -> fragments.stream().allMatch(command::contains)),
                () -> "no step contains " + fragments + " in " + commands);
    }

    @Test
    void theChartItPatchesStillHasTheDefaultRepositoryLine() {
        assertTrue(Project.read(Path.of("deploy", "helm", "oci-mirror-webhook", "values.yaml"))
                .contains("\n  repository: oci-mirror-webhook\n"), "the line the release step replaces");
    }
}

package io.ocimirror.replication;

import static io.ocimirror.testing.registry.TestContent.LINUX_AMD64;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ocimirror.testing.Await;
import io.ocimirror.testing.TestCertificates;
import io.ocimirror.testing.WebhookClient;
import io.ocimirror.testing.registry.PushedArtifact;
import io.ocimirror.testing.registry.TestContent;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code /q/oci-mirror/replications} and {@code /q/oci-mirror/explain} over HTTP on the management port, with a real
 * Docker Distribution mirror so that a replication job really ends; neither path exists on the admission port.
 */
@QuarkusTest
@TestProfile(VirtualReplicationTime.class)
@QuarkusTestResource(value = ReplicationRegistries.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(TestCertificates.class)
class ManagementEndpointsTest {

    private static final Duration LIMIT = Duration.ofSeconds(60);
    private static final String NAMESPACE = "shop";

    @RegistryTestResource.Inject
    ReplicationRegistries registries;

    @TestHTTPResource(value = "/", tls = true)
    URL admission;

    @TestHTTPResource(value = "/", management = true)
    URL management;

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void aJobThatEndedIsListedAndExplainedWithItsLiveState() throws IOException {
        PushedArtifact image = TestContent.to(registries.upstream).pushDockerImage("team/endpoints", "1.0",
                LINUX_AMD64);
        String reference = image.reference(registries.upstream.hostPort());
        admitPod(reference);
        Await.until(LIMIT, () -> job(image).isPresent(), "the job of " + reference + " to be listed");
        Await.until(LIMIT, () -> registries.openMirror.missingFor(image, List.of(LINUX_AMD64)).isEmpty(),
                "the mirror to hold " + image.reference());

        JsonNode job = job(image).orElseThrow();
        JsonNode explained = get("oci-mirror/explain?image=" + reference + "&namespace=" + NAMESPACE, 200);
        JsonNode explanation = explained.path("explanations").path(0);
        assertAll(
                () -> assertEquals(registries.openMirror.hostPort(), job.path("mirrorHost").asText()),
                () -> assertEquals("[\"linux/amd64\"]", job.path("platforms").toString()),
                () -> assertEquals("succeeded", job.path("outcome").asText()),
                () -> assertTrue(job.path("bytes").asLong() > 0, job.toString()),
                () -> assertFalse(Instant.parse(job.path("ended").asText()).isAfter(Instant.now())),
                () -> assertEquals("the webhook", explained.path("owner").asText()),
                () -> assertEquals("rewritten", explanation.path("decision").asText(), explained.toString()),
                () -> assertEquals("lets-through", explanation.path("gate").asText()),
                () -> assertEquals("available", explanation.path("breaker").asText()),
                () -> assertFalse(explanation.path("recentlyFailed").asBoolean(true)),
                () -> assertEquals(job, explanation.path("lastJob")));
    }

    @Test
    void aReferenceWithoutAMirrorIsExplainedWithoutLiveState() throws IOException {
        JsonNode explanation = get("oci-mirror/explain?image=example.org/app:1", 200).path("explanations").path(0);
        assertAll(
                () -> assertEquals("unchanged:no-mirror", explanation.path("decision").asText()),
                () -> assertTrue(explanation.path("breaker").isMissingNode(), explanation.toString()));
    }

    static Stream<Arguments> badQueries() {
        return Stream.of(
                // case, path and query under /q/
                Arguments.of("unknown outcome", "oci-mirror/replications?outcome=exploded"),
                Arguments.of("limit not a number", "oci-mirror/replications?limit=many"),
                Arguments.of("limit zero", "oci-mirror/replications?limit=0"),
                Arguments.of("limit above what is kept", "oci-mirror/replications?limit=501"),
                Arguments.of("explain without image", "oci-mirror/explain?namespace=shop"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badQueries")
    void aBadQueryIsA400WithAJsonError(String name, String pathAndQuery) throws IOException {
        assertTrue(get(pathAndQuery, 400).path("error").isTextual());
    }

    static Stream<Arguments> paths() {
        return Stream.of(
                Arguments.of("replications", "/q/oci-mirror/replications"),
                Arguments.of("explain", "/q/oci-mirror/explain?image=nginx:1"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("paths")
    void theAdmissionPortDoesNotServeThem(String name, String path) {
        new WebhookClient(admission).request().get(path).then().statusCode(404);
    }

    @Test
    void outcomeFilterAndLimitApply() throws IOException {
        JsonNode failed = get("oci-mirror/replications?outcome=failed&limit=1", 200).path("jobs");
        JsonNode one = get("oci-mirror/replications?limit=1", 200).path("jobs");
        assertAll(
                () -> failed.forEach(job -> assertEquals("failed", job.path("outcome").asText())),
                () -> assertTrue(one.size() <= 1, one.toString()));
    }

    private Optional<JsonNode> job(PushedArtifact image) {
        try {
            String repository = "/" + image.reference();
            for (JsonNode job : get("oci-mirror/replications?outcome=succeeded", 200).path("jobs")) {
                if (job.path("reference").asText().endsWith(repository)) {
                    return Optional.of(job);
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private JsonNode get(String pathAndQuery, int status) throws IOException {
        Response response = given().baseUri(management.toString()).urlEncodingEnabled(false).get(pathAndQuery);
        assertEquals(status, response.statusCode(), pathAndQuery + ": " + response.asString());
        assertEquals("application/json", response.contentType());
        return json.readTree(response.asString());
    }

    private void admitPod(String image) {
        WebhookClient client = new WebhookClient(admission);
        ObjectNode pod = (ObjectNode) client.read("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\"}}");
        pod.putObject("spec").putArray("containers").addObject().put("name", "c").put("image", image);
        client.admit(client.review("", "v1", "pods", null, "CREATE", NAMESPACE, pod, null, false));
    }
}

package io.ocimirror.admission;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ocimirror.testing.TestCertificates;
import io.ocimirror.testing.WebhookClient;
import io.ocimirror.testing.WebhookClient.Admission;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What is not an AdmissionReview gets a 4xx with a JSON error that says why; never a 5xx. */
@QuarkusTest
@QuarkusTestResource(TestCertificates.class)
class BadInputTest {

    @TestHTTPResource(value = "/", tls = true)
    URL url;

    static Stream<Arguments> badRequests() {
        return Stream.of(
                // name, content type, body, status, part of the error
                Arguments.of("not JSON", "application/json", "{not json", 400, "body is not valid JSON"),
                Arguments.of("empty body", "application/json", "", 400, "body is empty"),
                Arguments.of("JSON array", "application/json", "[1,2]", 400, "body is not a JSON object"),
                Arguments.of("no request", "application/json",
                        "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\"}", 400, "request is missing"),
                Arguments.of("no uid", "application/json",
                        "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"operation\":\"CREATE\"}}",
                        400, "request.uid is missing"),
                Arguments.of("uid not a string", "application/json",
                        "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":7}}",
                        400, "request.uid is missing"),
                Arguments.of("v1beta1 review", "application/json",
                        "{\"apiVersion\":\"admission.k8s.io/v1beta1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"a\"}}",
                        400, "expected apiVersion admission.k8s.io/v1"),
                Arguments.of("content after the review", "application/json",
                        "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"a\"}} {}",
                        400, "body has more after the JSON value"),
                Arguments.of("malformed where nothing is read", "application/json",
                        "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"a\","
                                + "\"userInfo\":{\"username\":tru}}}",
                        400, "body is not valid JSON"),
                Arguments.of("nested too deep", "application/json",
                        "{\"a\":".repeat(200) + "1" + "}".repeat(200), 400, "Document nesting depth (129) exceeds"),
                Arguments.of("wrong content type", "text/plain", "{}", 415, "Content-Type must be application/json"),
                Arguments.of("garbage content type", "???", "{}", 415, "did not correspond to a valid media type"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void rejectsWithAJsonError(String name, String contentType, String body, int status, String error) {
        client().request().contentType(contentType).body(body.getBytes(StandardCharsets.UTF_8)).post("/mutate")
                .then()
                .statusCode(status)
                .contentType("application/json")
                .body("error", containsString(error))
                .body("status", equalTo(status));
    }

    @Test
    void rejectsAnOversizedBody() {
        byte[] body = new byte[AdmissionEndpoint.MAX_BODY_BYTES + 1];
        Arrays.fill(body, (byte) ' ');

        client().request().contentType("application/json").body(body).post("/mutate")
                .then()
                .statusCode(413)
                .contentType("application/json")
                .body("error", containsString("body is larger than"));
    }

    @Test
    void admitsAnUnreadableObjectUnchangedWithAWarning() {
        String review = """
                {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{
                  "uid":"u-42","operation":"CREATE","namespace":"shop",
                  "resource":{"group":"","version":"v1","resource":"pods"},
                  "object":{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},
                            "spec":{"containers":[{"name":"app","image":42}]}}}}
                """;
        WebhookClient client = client();

        Admission admission = client.admit((ObjectNode) client.read(review));

        assertTrue(admission.isEmpty());
        assertEquals(1, admission.warnings().size());
        assertTrue(admission.warnings().get(0).contains("\"app\": image is not a string"), admission.warnings().get(0));
    }

    @Test
    void admitsObjectsOfTheWrongShapeUnchanged() {
        String review = """
                {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{
                  "uid":"u-43","operation":"CREATE","namespace":"shop",
                  "resource":{"group":"","version":"v1","resource":"pods"},
                  "object":{"spec":{"containers":{"name":"not-a-list"}, "initContainers":[null, 3, "x"]}}}}
                """;
        WebhookClient client = client();

        Admission admission = client.admit((ObjectNode) client.read(review));

        assertTrue(admission.isEmpty());
        assertEquals(List.of(), admission.warnings(), "a wrong shape is not an internal error");
    }

    private WebhookClient client() {
        return new WebhookClient(url);
    }
}

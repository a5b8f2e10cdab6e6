package io.ocimirror.admission;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ocimirror.testing.TestCertificates;
import io.ocimirror.testing.WebhookClient.Admission;
import io.ocimirror.testing.WebhookClient;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayInputStream;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.microprofile.config.inject.ConfigProperty;
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

    @ConfigProperty(name = "quarkus.http.limits.max-body-size")
    MemorySize maxBodySize;

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
                Arguments.of("garbage content type", "???", "{}", 415, "Content-Type must be application/json"));
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
    void rejectsAnOversizedChunkedBodyWithAJsonError() throws Exception {
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(TestCertificates.trustStore());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, trust.getTrustManagers(), null);
        HttpClient http = HttpClient.newBuilder().sslContext(tls).version(HttpClient.Version.HTTP_1_1).build();
        // A stream of unknown length goes out chunked: no Content-Length for the server to check, only the route
        // counts it.
        HttpRequest request = HttpRequest.newBuilder(url.toURI().resolve("/mutate"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(oversizedBody())))
                .build();

        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());

        assertEquals(413, response.statusCode(), response::body);
        assertTrue(response.body().contains("body is larger than " + maxBodySize.asLongValue() + " bytes"),
                response::body);
    }

    @Test
    void rejectsAnOversizedAnnouncedBodyAtTheServersOwnLimit() {
        // The server answers a Content-Length over its limit before the body and closes: a client that waits for
        // "100 Continue" reads that answer instead of writing into a closed connection.
        client().request().contentType("application/json").header("Expect", "100-continue").body(oversizedBody())
                .post("/mutate")
                .then()
                .statusCode(413);
    }

    private byte[] oversizedBody() {
        byte[] body = new byte[Math.toIntExact(maxBodySize.asLongValue() + 1)];
        Arrays.fill(body, (byte) ' ');
        return body;
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

        var mutated = admission.applyTo(client.read(review).at("/request/object"));
        assertEquals("{\"app\":\"cannot-mirror:invalid-reference\"}",
                mutated.at("/metadata/annotations").path(Decisions.ANNOTATION).asText());
        assertEquals(42, mutated.at("/spec/containers/0/image").asInt());
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

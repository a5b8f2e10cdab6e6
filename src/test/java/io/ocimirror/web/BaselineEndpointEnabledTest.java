package io.ocimirror.web;

import static org.hamcrest.Matchers.equalTo;

import io.ocimirror.testing.TestCertificates;
import io.ocimirror.testing.WebhookClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.net.URL;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** With the benchmark setting on, the baseline route answers a fixed AdmissionReview and /mutate still works. */
@QuarkusTest
@QuarkusTestResource(TestCertificates.class)
@TestProfile(BaselineEndpointEnabledTest.BenchmarkProfile.class)
class BaselineEndpointEnabledTest {

    public static class BenchmarkProfile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("oci-mirror.bench.baseline-endpoint", "true");
        }
    }

    @TestHTTPResource(value = "/", tls = true)
    URL webhook;

    @Test
    void answersAFixedReviewAfterReadingTheBody() {
        String body = "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"u\"},"
                + "\"padding\":\"" + "x".repeat(64 * 1024) + "\"}";
        for (int i = 0; i < 3; i++) {
            new WebhookClient(webhook).request()
                    .contentType("application/json")
                    .body(body)
                    .post(BaselineEndpoint.PATH)
                    .then()
                    .statusCode(200)
                    .contentType("application/json")
                    .body("kind", equalTo("AdmissionReview"))
                    .body("response.allowed", equalTo(true));
        }
    }

    @Test
    void leavesTheAdmissionEndpointAsItIs() {
        new WebhookClient(webhook).request()
                .contentType("application/json")
                .body("{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\"}")
                .post("/mutate")
                .then()
                .statusCode(400)
                .body("error", equalTo("request is missing"));
    }
}

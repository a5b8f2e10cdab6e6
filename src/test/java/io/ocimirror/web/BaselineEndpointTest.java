package io.ocimirror.web;

import static org.hamcrest.Matchers.equalTo;

import io.ocimirror.testing.TestCertificates;
import io.ocimirror.testing.WebhookClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import org.junit.jupiter.api.Test;

/** The benchmark baseline route must not exist unless the benchmark switches it on. */
@QuarkusTest
@QuarkusTestResource(TestCertificates.class)
class BaselineEndpointTest {

    @TestHTTPResource(value = "/", tls = true)
    URL webhook;

    @Test
    void isAbsentByDefault() {
        new WebhookClient(webhook).request()
                .contentType("application/json")
                .body("{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\"}")
                .post(BaselineEndpoint.PATH)
                .then()
                .statusCode(404);
    }
}

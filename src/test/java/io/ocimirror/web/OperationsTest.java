package io.ocimirror.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ocimirror.testing.TestCertificates;
import io.ocimirror.testing.WebhookClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import org.junit.jupiter.api.Test;

/** Health and metrics are served on the management port, apart from the admission port. */
@QuarkusTest
@QuarkusTestResource(TestCertificates.class)
class OperationsTest {

    @TestHTTPResource(value = "/", tls = true)
    URL webhook;

    /** The management root, {@code /q/} on the management port. */
    @TestHTTPResource(value = "/", management = true)
    URL management;

    @Test
    void isLiveAndReadyWithConfigurationAndTlsLoaded() {
        given().baseUri(management.toString()).get("health/live").then().statusCode(200);
        given().baseUri(management.toString()).get("health/ready")
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.find { it.name == 'oci-mirror-webhook' }.data.mirrorConfiguration", equalTo("loaded"))
                .body("checks.find { it.name == 'oci-mirror-webhook' }.data.tls", equalTo("loaded"))
                .body("checks.find { it.name == 'oci-mirror-webhook' }.data.mirrors", equalTo(4))
                .body("checks.find { it.name == 'mirrors' }.status", equalTo("UP"));
    }

    @Test
    void exposesAdmissionMetricsInPrometheusFormat() {
        WebhookClient client = new WebhookClient(webhook);
        ObjectNode pod = (ObjectNode) client.read("""
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},
                 "spec":{"containers":[{"name":"web","image":"nginx:1.25"}]}}
                """);
        client.admit(client.review("", "v1", "pods", null, "CREATE", "shop", pod, null, true));

        given().baseUri(management.toString()).get("metrics")
                .then()
                .statusCode(200)
                .body(containsString("oci_mirror_admissions_total{kind=\"pod\",outcome=\"patched\"}"))
                .body(containsString("oci_mirror_admission_duration_seconds_bucket"))
                .body(containsString("oci_mirror_rewrites_total{source_registry=\"docker.io\"}"))
                .body(containsString("oci_mirror_config_reloads_total{organization=\"\",outcome=\"applied\"}"))
                .body(containsString("oci_mirror_config_valid{organization=\"\"} 1.0"));
    }

    @Test
    void doesNotServeHealthOnTheAdmissionPort() {
        new WebhookClient(webhook).request().get("/q/health/ready").then().statusCode(not(equalTo(200)));
    }
}

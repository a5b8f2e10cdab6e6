package io.ocimirror.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ocimirror.admission.AdmissionWebhook;
import io.ocimirror.testing.TestCertificates;
import io.ocimirror.testing.WebhookClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The webhook as deploy/base ships it, before the admin has filled in mirrors: ready, rewriting nothing and saying
 * so, with every metric described and the admission and configuration counters present from the start.
 */
@QuarkusTest
@QuarkusTestResource(TestCertificates.class)
@TestProfile(ShippedDefaultsTest.BaseConfiguration.class)
class ShippedDefaultsTest {

    public static class BaseConfiguration implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("oci-mirror.config-file", "deploy/base/mirror-config.yaml");
        }
    }

    private static final Pattern HELP = Pattern.compile("(?m)^# HELP (oci_mirror_[a-z_]+) ?(.*)$");
    private static final Pattern TYPE = Pattern.compile("(?m)^# TYPE (oci_mirror_[a-z_]+) ");
    private static final Pattern LATENCY_BUCKET =
            Pattern.compile("(?m)^oci_mirror_admission_duration_seconds_bucket\\{le=\"([0-9.eE+-]+)\"");

    @TestHTTPResource(value = "/", tls = true)
    URL webhook;

    @TestHTTPResource(value = "/", management = true)
    URL management;

    @Test
    void isReadyRewritesNothingAndSaysWhy() {
        WebhookClient client = new WebhookClient(webhook);
        ObjectNode pod = (ObjectNode) client.read("""
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},
                 "spec":{"containers":[{"name":"web","image":"nginx:1.25"}]}}
                """);
        assertTrue(client.admit(client.review("", "v1", "pods", null, "CREATE", "shop", pod, null, false)).isEmpty(),
                "no patch without mirrors");
        given().baseUri(management.toString()).get("health/ready")
                .then()
                .statusCode(200)
                .body("checks.find { it.name == 'oci-mirror-webhook' }.data.mirrors", equalTo(0))
                .body("checks.find { it.name == 'oci-mirror-webhook' }.data.rewriting",
                        equalTo("off: registryMirrors is empty, nothing is rewritten"));
    }

    @Test
    void everyMetricHasHelpTextAndTheCountersStartAtZero() {
        String metrics = given().baseUri(management.toString()).get("metrics").then().statusCode(200)
                .extract().asString();
        Map<String, String> help = new TreeMap<>();
        Matcher helpLine = HELP.matcher(metrics);
        while (helpLine.find()) {
            help.put(helpLine.group(1), helpLine.group(2).trim());
        }
        Set<String> families = new TreeSet<>();
        Matcher typeLine = TYPE.matcher(metrics);
        while (typeLine.find()) {
            families.add(typeLine.group(1));
        }
        List<String> series = new ArrayList<>();
        for (String kind : List.of("pod", "plugindefinition", "other")) {
            for (String outcome : AdmissionWebhook.OUTCOMES) {
                series.add("oci_mirror_admissions_total{kind=\"" + kind + "\",outcome=\"" + outcome + "\"}");
            }
        }
        for (String outcome : List.of("applied", "rejected")) {
            series.add("oci_mirror_config_reloads_total{organization=\"\",outcome=\"" + outcome + "\"}");
        }
        Set<String> undescribed = new TreeSet<>();
        families.forEach(family -> {
            if (help.getOrDefault(family, "").isEmpty()) {
                undescribed.add(family);
            }
        });
        assertAll(
                () -> assertTrue(families.containsAll(Set.of("oci_mirror_admissions", "oci_mirror_config_reloads",
                        "oci_mirror_admission_duration_seconds")), "oci_mirror_ families: " + families),
                () -> assertEquals(Set.of(), undescribed, "metrics without HELP text"),
                () -> assertEquals(List.of(), series.stream().filter(s -> !metrics.contains(s)).toList(),
                        "series missing at start"));
    }

    @Test
    void admissionLatencyHasBucketsBelowOneMillisecond() {
        String metrics = given().baseUri(management.toString()).get("metrics").then().statusCode(200)
                .extract().asString();
        List<Double> bounds = new ArrayList<>();
        Matcher bucket = LATENCY_BUCKET.matcher(metrics);
        while (bucket.find()) {
            bounds.add(Double.parseDouble(bucket.group(1)));
        }
        List<Double> belowOneMillisecond = bounds.stream().filter(b -> b < 0.001).toList();
        assertTrue(belowOneMillisecond.size() >= 3, "buckets below 1 ms: " + belowOneMillisecond + " of " + bounds);
        assertTrue(belowOneMillisecond.containsAll(List.of(0.0001, 0.00025, 0.0005)), "0.1, 0.25 and 0.5 ms: " + bounds);
    }
}

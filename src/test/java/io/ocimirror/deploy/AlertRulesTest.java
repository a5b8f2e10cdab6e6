package io.ocimirror.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.ocimirror.testing.RequiredTool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The shipped alerts evaluated by Prometheus itself ({@code promtool test rules}): each fires on the first event,
 * including on a counter series that appears only with that event, keeps the labels that say where to look, and
 * stays quiet on counters that do not move. The rules are the chart's files/alerts.yaml (MonitoringTest keeps
 * deploy/monitoring equal to it) without their annotations, which promtool would otherwise compare too.
 */
class AlertRulesTest {

    private static final Path WORK = Path.of("target", "deploy-tests", "promtool");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final String NS = "oci-mirror-system";
    private static final String FAILED = "oci_mirror_replication_jobs_total{namespace=\"" + NS + "\",outcome=\"failed\"}";
    private static final String DROPPED = "oci_mirror_replication_jobs_total{namespace=\"" + NS
            + "\",outcome=\"dropped\"}";
    private static final String RESCUED = "oci_mirror_pull_rescues_total{mirror_host=\"mirror.example.com\","
            + "outcome=\"rescued\"}";
    private static final String REJECTED = "oci_mirror_config_reloads_total{namespace=\"" + NS
            + "\",organization=\"my-org\",outcome=\"rejected\"}";
    private static final String VALID = "oci_mirror_config_valid{namespace=\"" + NS + "\",organization=\"my-org\"}";
    private static final String BREAKER = "oci_mirror_circuit_breaker_open{mirror_host=\"mirror.example.com\"}";

    /** Series values in promtool's notation, one sample a minute: {@code _x5} is five missing samples. */
    static Stream<Arguments> cases() {
        Map<String, String> inNamespace = Map.of("severity", "warning", "namespace", NS);
        Map<String, String> onMirror = Map.of("severity", "warning", "mirror_host", "mirror.example.com");
        Map<String, String> ofOrganisation = Map.of("severity", "warning", "namespace", NS, "organization", "my-org");
        return Stream.of(
                Arguments.of("first failure on a series that did not exist", "OciMirrorReplicationFailed",
                        Map.of(FAILED, "_x5 1x20"), "7m", List.of(inNamespace)),
                Arguments.of("failure on a series that was at zero", "OciMirrorReplicationFailed",
                        Map.of(FAILED, "0x5 1x20"), "7m", List.of(inNamespace)),
                Arguments.of("no failure", "OciMirrorReplicationFailed", Map.of(FAILED, "0x20"), "10m", List.of()),
                Arguments.of("failure longer ago than the window", "OciMirrorReplicationFailed",
                        Map.of(FAILED, "_x2 1x40"), "30m", List.of()),
                Arguments.of("first dropped job on a series that did not exist", "OciMirrorReplicationJobsDropped",
                        Map.of(DROPPED, "_x5 3x20"), "7m", List.of(inNamespace)),
                Arguments.of("first rescue on a series that did not exist", "OciMirrorPullRescues",
                        Map.of(RESCUED, "_x5 1x20"), "7m", List.of(onMirror)),
                Arguments.of("first rejection of an organisation's configuration", "OciMirrorConfigurationRejected",
                        Map.of(REJECTED, "_x5 1x20", VALID, "1x30"), "7m", List.of(ofOrganisation)),
                Arguments.of("organisation's configuration invalid", "OciMirrorConfigurationRejected",
                        Map.of(VALID, "0x30"), "7m", List.of(ofOrganisation)),
                Arguments.of("configuration valid, no rejection", "OciMirrorConfigurationRejected",
                        Map.of(VALID, "1x30", REJECTED, "0x30"), "7m", List.of()),
                Arguments.of("breaker open for 10 minutes", "OciMirrorCircuitBreakerOpen",
                        Map.of(BREAKER, "_x2 1x20"), "13m", List.of(onMirror)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void alertFiresAsExpected(String name, String alert, Map<String, String> series, String at,
            List<Map<String, String>> expected) throws IOException {
        String promtool = RequiredTool.PROMTOOL.path().toString();
        Path directory = WORK.resolve(name.replaceAll("[^a-z0-9]+", "-"));
        Files.createDirectories(directory);
        Path rules = directory.resolve("rules.yaml");
        Files.writeString(rules, YAML.writeValueAsString(withoutAnnotations(
                YAML.readTree(MonitoringTest.CHART_ALERTS.toFile()))));
        Map<String, Object> test = new LinkedHashMap<>();
        test.put("interval", "1m");
        test.put("input_series", series.entrySet().stream()
                .map(s -> Map.of("series", s.getKey(), "values", s.getValue())).toList());
        test.put("alert_rule_test", List.of(Map.of("eval_time", at, "alertname", alert,
                "exp_alerts", expected.stream().map(labels -> Map.of("exp_labels", labels)).toList())));
        Path tests = directory.resolve("tests.yaml");
        Files.writeString(tests, YAML.writeValueAsString(Map.of(
                "rule_files", List.of(rules.toAbsolutePath().toString()),
                "evaluation_interval", "1m",
                "tests", List.of(test))));
        Tools.Result result = Tools.run(List.of(promtool, "test", "rules", tests.toAbsolutePath().toString()), Map.of());
        assertEquals(0, result.exitCode(), result.output());
    }

    private static JsonNode withoutAnnotations(JsonNode rules) {
        for (JsonNode group : rules.path("groups")) {
            group.path("rules").forEach(rule -> ((ObjectNode) rule).remove("annotations"));
        }
        return rules;
    }
}

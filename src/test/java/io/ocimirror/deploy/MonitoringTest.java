package io.ocimirror.deploy;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Service;
import java.io.IOException;
import java.nio.file.Path;
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
 * deploy/monitoring and the chart's alerts: they scrape the base's Service, alert on what matters to an admin, and
 * every metric they name is one the README documents.
 */
class MonitoringTest {

    static final Path MONITORING = Path.of("deploy", "monitoring");
    static final Path PROMETHEUS_RULE = MONITORING.resolve("prometheusrule.yaml");
    static final Path DASHBOARD = MONITORING.resolve("grafana-dashboard.json");
    static final Path CHART_ALERTS = HelmChart.CHART.resolve("files").resolve("alerts.yaml");

    private static final Pattern METRIC = Pattern.compile("\\boci_mirror_[a-z_]+");
    private static final Pattern README_METRIC_ROW = Pattern.compile("(?m)^\\| `(oci_mirror_[a-z_]+)` \\|");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void serviceMonitorScrapesTheMetricsPortOfTheBaseService() {
        Manifests monitoring = ComponentCombinationsTest.render(List.of("monitoring"));
        Service service = Manifests.render(Project.BASE).one(Service.class);
        GenericKubernetesResource monitor = monitoring.generic("ServiceMonitor", "oci-mirror-webhook");
        Map<String, Object> spec = spec(monitor);
        @SuppressWarnings("unchecked")
        Map<String, String> selector = (Map<String, String>) ((Map<String, Object>) spec.get("selector")).get("matchLabels");
        @SuppressWarnings("unchecked")
        Map<String, Object> endpoint = ((List<Map<String, Object>>) spec.get("endpoints")).get(0);
        assertAll(
                () -> assertTrue(BaseManifestsTest.matches(new LabelSelector(null, selector),
                        service.getMetadata().getLabels()), "selects the Service"),
                () -> assertTrue(service.getSpec().getPorts().stream().anyMatch(p -> p.getName().equals(endpoint.get("port"))),
                        "scrapes a port of the Service"),
                () -> assertEquals("/q/metrics", endpoint.get("path")),
                () -> assertEquals(service.getMetadata().getNamespace(), monitor.getMetadata().getNamespace()));
    }

    @Test
    void kustomizeAndChartShipTheSameAlerts() throws IOException {
        assertEquals(YAML.readTree(CHART_ALERTS.toFile()), YAML.readTree(PROMETHEUS_RULE.toFile()).path("spec"));
    }

    @Test
    void alertsCoverRejectedConfigurationsOpenBreakersAndFailedOrDroppedReplication() throws IOException {
        Map<String, String> alerts = new TreeMap<>();
        for (JsonNode group : YAML.readTree(CHART_ALERTS.toFile()).path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                alerts.put(rule.path("alert").asText(), rule.path("expr").asText());
            }
        }
        assertAll(
                () -> assertTrue(alerts.get("OciMirrorConfigurationRejected").contains("oci_mirror_config_valid")),
                () -> assertTrue(alerts.get("OciMirrorConfigurationRejected")
                        .contains("oci_mirror_config_reloads_total{outcome=\"rejected\"}")),
                () -> assertTrue(alerts.get("OciMirrorCircuitBreakerOpen")
                        .contains("max by (mirror_host) (oci_mirror_circuit_breaker_open) > 0")),
                () -> assertTrue(alerts.get("OciMirrorReplicationFailed")
                        .contains("oci_mirror_replication_jobs_total{outcome=\"failed\"}")),
                () -> assertTrue(alerts.get("OciMirrorReplicationJobsDropped")
                        .contains("oci_mirror_replication_jobs_total{outcome=\"dropped\"}")),
                () -> assertTrue(alerts.get("OciMirrorPullRescues")
                        .contains("sum by (mirror_host) (increase(oci_mirror_pull_rescues_total{outcome=\"rescued\"}")));
    }

    @Test
    void everyMetricTheRulesAndTheDashboardNameIsInTheReadmeTable() throws IOException {
        Set<String> documented = new TreeSet<>();
        Matcher row = README_METRIC_ROW.matcher(Project.read(Path.of("README.md")));
        while (row.find()) {
            documented.add(row.group(1));
        }
        List<String> expressions = new ArrayList<>();
        for (JsonNode group : YAML.readTree(CHART_ALERTS.toFile()).path("groups")) {
            group.path("rules").forEach(rule -> expressions.add(rule.path("expr").asText()));
        }
        new ObjectMapper().readTree(DASHBOARD.toFile()).path("panels").forEach(panel ->
                panel.path("targets").forEach(target -> expressions.add(target.path("expr").asText())));
        assertTrue(expressions.size() >= 10, "expressions found: " + expressions);
        Set<String> undocumented = new TreeSet<>();
        for (String expression : expressions) {
            Matcher metric = METRIC.matcher(expression);
            while (metric.find()) {
                String name = metric.group();
                // A histogram's series carry these suffixes; the table lists the histogram.
                String histogram = name.replaceFirst("_(bucket|count|sum)$", "");
                if (!documented.contains(name) && !documented.contains(histogram)) {
                    undocumented.add(name);
                }
            }
        }
        assertEquals(Set.of(), undocumented, "metrics missing from the README's metrics table " + documented);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> spec(GenericKubernetesResource resource) {
        return (Map<String, Object>) resource.getAdditionalProperties().get("spec");
    }
}

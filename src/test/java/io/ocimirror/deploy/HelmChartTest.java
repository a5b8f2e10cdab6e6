package io.ocimirror.deploy;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.ocimirror.config.MirrorConfiguration;
import io.ocimirror.config.MirrorConfigurationParser;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * deploy/helm/oci-mirror-webhook: lint, the {@link InstallationContract} with the default values and with values
 * that change everything they may, and what each value does.
 */
class HelmChartTest {

    private static final String FULLNAME = HelmChart.RELEASE;

    @Test
    void lintsCleanlyInStrictMode() {
        LintResult lint = HelmChart.lint();
        assertFalse(lint.isFailed(), "helm lint --strict: " + lint.getMessages());
    }

    @Test
    void versionsAreTheProjectVersion() throws IOException {
        JsonNode chart = new ObjectMapper(new YAMLFactory()).readTree(HelmChart.CHART.resolve("Chart.yaml").toFile());
        assertAll(
                () -> assertEquals(Project.version(), chart.path("version").asText(), "version"),
                () -> assertEquals(Project.version(), chart.path("appVersion").asText(), "appVersion"));
    }

    @Test
    void templatesDoNotSwitchOnTheKubernetesVersion() throws IOException {
        // helm-java renders as Kubernetes v1.20 only: a .Capabilities branch would go untested.
        try (Stream<Path> templates = Files.list(HelmChart.CHART.resolve("templates"))) {
            List<Path> switching = templates.filter(t -> Project.read(t).contains(".Capabilities")).toList();
            assertEquals(List.of(), switching);
        }
    }

    @Nested
    class DefaultValues extends InstallationContract {

        private final Manifests chart = HelmChart.render(Map.of());

        @Override
        Manifests manifests() {
            return chart;
        }

        @Override
        String namespace() {
            return HelmChart.NAMESPACE;
        }

        @Test
        void rendersTheWebhookWithAGeneratedCertificateAndNothingOptional() {
            assertEquals(new TreeSet<>(Set.of(
                    "ServiceAccount/" + FULLNAME,
                    "Role/" + FULLNAME,
                    "RoleBinding/" + FULLNAME,
                    "ClusterRole/" + FULLNAME + "-events",
                    "ClusterRoleBinding/" + FULLNAME + "-events",
                    "ClusterRole/" + FULLNAME + "-rescue",
                    "ClusterRoleBinding/" + FULLNAME + "-rescue",
                    "Role/" + FULLNAME + "-rescue",
                    "RoleBinding/" + FULLNAME + "-rescue",
                    "ClusterRole/" + FULLNAME + "-warm-ahead",
                    "ClusterRoleBinding/" + FULLNAME + "-warm-ahead",
                    "ConfigMap/" + FULLNAME + "-config",
                    "Secret/" + FULLNAME + "-tls",
                    "Deployment/" + FULLNAME,
                    "PodDisruptionBudget/" + FULLNAME,
                    "Service/" + FULLNAME,
                    "MutatingWebhookConfiguration/" + FULLNAME)), inventory(chart));
        }

        @Test
        void mirrorConfigurationIsEmptySoNothingIsRewritten() throws Exception {
            MirrorConfiguration configuration = mirrorConfiguration(chart.one(ConfigMap.class));
            assertAll(
                    () -> assertTrue(configuration.mirrors().isEmpty(), "no mirrors"),
                    () -> assertTrue(configuration.secretName().isEmpty(), "no credentials"));
        }

        @Test
        void generatedCaSignsTheServingCertificateForTheServiceNames() throws Exception {
            Secret secret = chart.one(Secret.class);
            assertEquals("kubernetes.io/tls", secret.getType());
            X509Certificate ca = certificate(secret.getData().get("ca.crt"));
            X509Certificate serving = certificate(secret.getData().get("tls.crt"));
            serving.verify(ca.getPublicKey());
            Set<String> names = new TreeSet<>();
            serving.getSubjectAlternativeNames().forEach(name -> names.add((String) name.get(1)));
            String service = FULLNAME + "." + HelmChart.NAMESPACE + ".svc";
            assertEquals(new TreeSet<>(Set.of(FULLNAME, FULLNAME + "." + HelmChart.NAMESPACE, service,
                    service + ".cluster.local")), names);
            for (MutatingWebhook webhook : chart.one(MutatingWebhookConfiguration.class).getWebhooks()) {
                assertEquals(secret.getData().get("ca.crt"), webhook.getClientConfig().getCaBundle(),
                        webhook.getName() + " trusts the CA that signed the serving certificate");
            }
        }
    }

    @Nested
    class NonDefaultValues extends InstallationContract {

        private final Manifests chart = HelmChart.render(nonDefaultValues());

        @Override
        Manifests manifests() {
            return chart;
        }

        @Override
        String namespace() {
            return HelmChart.NAMESPACE;
        }

        @Test
        void rendersCertManagerMonitoringAndGreenhouseObjects() {
            assertEquals(new TreeSet<>(Set.of(
                    "ServiceAccount/" + FULLNAME,
                    "Role/" + FULLNAME,
                    "RoleBinding/" + FULLNAME,
                    "ClusterRole/" + FULLNAME + "-events",
                    "ClusterRoleBinding/" + FULLNAME + "-events",
                    "ClusterRole/" + FULLNAME + "-rescue",
                    "ClusterRoleBinding/" + FULLNAME + "-rescue",
                    "Role/" + FULLNAME + "-rescue",
                    "RoleBinding/" + FULLNAME + "-rescue",
                    "ClusterRole/" + FULLNAME + "-warm-ahead",
                    "ClusterRoleBinding/" + FULLNAME + "-warm-ahead",
                    "ClusterRole/" + FULLNAME + "-greenhouse",
                    "ClusterRoleBinding/" + FULLNAME + "-greenhouse",
                    "ConfigMap/" + FULLNAME + "-config",
                    "Issuer/" + FULLNAME + "-selfsigned",
                    "Certificate/" + FULLNAME + "-ca",
                    "Issuer/" + FULLNAME + "-ca",
                    "Certificate/" + FULLNAME + "-serving",
                    "Deployment/" + FULLNAME,
                    "PodDisruptionBudget/" + FULLNAME,
                    "Service/" + FULLNAME,
                    "ServiceMonitor/" + FULLNAME,
                    "PrometheusRule/" + FULLNAME,
                    "MutatingWebhookConfiguration/" + FULLNAME)), inventory(chart));
        }

        @Test
        void valuesReachThePods() {
            Deployment deployment = chart.one(Deployment.class);
            var pod = deployment.getSpec().getTemplate().getSpec();
            assertAll(
                    () -> assertEquals(3, deployment.getSpec().getReplicas()),
                    () -> assertEquals("registry.example.com/platform/oci-mirror-webhook:" + Project.version(),
                            pod.getContainers().get(0).getImage()),
                    () -> assertEquals("system-cluster-critical", pod.getPriorityClassName()),
                    () -> assertEquals("512Mi", pod.getContainers().get(0).getResources().getLimits().get("memory")
                            .toString()),
                    () -> assertEquals("true", env("OCI_MIRROR_GREENHOUSE_ENABLED")));
        }

        @Test
        void mirrorConfigurationNamesTheCredentialsSecretTheRoleGrants() throws Exception {
            MirrorConfiguration configuration = mirrorConfiguration(chart.one(ConfigMap.class));
            assertAll(
                    () -> assertEquals(Set.of("docker.io"), configuration.mirrors().keySet()),
                    () -> assertEquals("mirror-credentials", configuration.secretName().orElseThrow()));
        }

        @Test
        void extraSelectorTermsAddToTheBuiltInOnes() {
            MutatingWebhook namespaced = webhook("namespaced.oci-mirror.io");
            Map<String, String> namespace = Map.of(ENABLED_LABEL, "true", "kubernetes.io/metadata.name", "team-a");
            Map<String, String> pod = Map.of("tier", "web");
            assertAll(
                    () -> assertTrue(BaseManifestsTest.matches(namespaced.getNamespaceSelector(), namespace),
                            "opted in and within the extra term"),
                    () -> assertFalse(BaseManifestsTest.matches(namespaced.getNamespaceSelector(),
                            with(namespace, "environment", "sandbox")), "opted in but outside the extra term"),
                    () -> assertTrue(BaseManifestsTest.matches(namespaced.getObjectSelector(), pod)),
                    () -> assertFalse(BaseManifestsTest.matches(namespaced.getObjectSelector(),
                            with(pod, "team", "legacy")), "outside the extra object term"),
                    () -> assertEquals(3, namespaced.getTimeoutSeconds()));
        }

        @Test
        void greenhouseRoleReadsOrganisationsAndTheirConfigurationClusterWide() {
            ClusterRole role = chart.all(ClusterRole.class).stream()
                    .filter(r -> r.getMetadata().getName().endsWith("-greenhouse")).findFirst().orElseThrow();
            Set<String> grants = new TreeSet<>();
            for (PolicyRule rule : role.getRules()) {
                assertTrue(rule.getResourceNames() == null || rule.getResourceNames().isEmpty(), rule.toString());
                for (String group : rule.getApiGroups()) {
                    for (String resource : rule.getResources()) {
                        grants.add(group + "/" + resource + " " + new TreeSet<>(rule.getVerbs()));
                    }
                }
            }
            assertEquals(new TreeSet<>(Set.of(
                    "greenhouse.sap/organizations [get, list, watch]",
                    "/configmaps [get, list, watch]",
                    "/secrets [get, list, watch]",
                    "/events [create, patch]")), grants);
        }

        @Test
        void certManagerInjectsTheServingCertificatesCaAndNoSecretIsGenerated() {
            MutatingWebhookConfiguration configuration = chart.one(MutatingWebhookConfiguration.class);
            GenericKubernetesResource serving = chart.generic("Certificate", FULLNAME + "-serving");
            assertAll(
                    () -> assertEquals(HelmChart.NAMESPACE + "/" + FULLNAME + "-serving",
                            configuration.getMetadata().getAnnotations().get("cert-manager.io/inject-ca-from")),
                    () -> assertTrue(configuration.getWebhooks().stream()
                            .allMatch(w -> w.getClientConfig().getCaBundle() == null), "caBundle left to cert-manager"),
                    () -> assertEquals(TLS_SECRET, spec(serving).get("secretName")),
                    () -> assertTrue(chart.all(Secret.class).isEmpty(), "no generated Secret"));
        }

        @Test
        void serviceMonitorScrapesTheMetricsPortOfTheService() {
            GenericKubernetesResource monitor = chart.generic("ServiceMonitor", FULLNAME);
            Service service = chart.one(Service.class);
            @SuppressWarnings("unchecked")
            Map<String, String> selector = (Map<String, String>) ((Map<String, Object>) spec(monitor).get("selector"))
                    .get("matchLabels");
            @SuppressWarnings("unchecked")
            Map<String, Object> endpoint = ((List<Map<String, Object>>) spec(monitor).get("endpoints")).get(0);
            assertAll(
                    () -> assertTrue(BaseManifestsTest.matches(new LabelSelector(null, selector),
                            service.getMetadata().getLabels()), "selects the Service"),
                    () -> assertEquals("metrics", endpoint.get("port")),
                    () -> assertEquals("/q/metrics", endpoint.get("path")),
                    () -> assertEquals("kube-prometheus", monitor.getMetadata().getLabels().get("release")));
        }

        @Test
        void prometheusRuleIsTheOneShippedForKustomize() throws IOException {
            GenericKubernetesResource rule = chart.generic("PrometheusRule", FULLNAME);
            JsonNode shipped = new ObjectMapper(new YAMLFactory()).readTree(MonitoringTest.PROMETHEUS_RULE.toFile());
            assertEquals(shipped.path("spec"), new ObjectMapper().valueToTree(spec(rule)));
        }
    }

    @Test
    void existingConfigMapIsWatchedAndReadableInsteadOfTheChartsOwn() {
        Manifests chart = HelmChart.render(Map.of("existingConfigMap", "greenhouse-registry-config",
                "credentials", Map.of("existingSecret", "mirror-credentials")));
        Role role = chart.all(Role.class).stream().filter(r -> !r.getMetadata().getName().endsWith(InstallationContract.RESCUE_SUFFIX))
                .findFirst().orElseThrow();
        Set<String> grants = new TreeSet<>();
        role.getRules().forEach(r -> r.getResourceNames().forEach(n -> grants.add(r.getResources().get(0) + "/" + n)));
        assertAll(
                () -> assertTrue(chart.all(ConfigMap.class).isEmpty(), "no ConfigMap of the chart's own"),
                () -> assertEquals("greenhouse-registry-config",
                        deploymentEnv(chart.one(Deployment.class), "OCI_MIRROR_CONFIGMAP_NAME")),
                () -> assertEquals(Set.of("configmaps/greenhouse-registry-config", "secrets/mirror-credentials"),
                        grants));
    }

    @Test
    void pullFailureRescueOffHasNoRightsOnPodsOrLeases() {
        Manifests chart = HelmChart.render(Map.of("pullFailureRescue", Map.of("enabled", false, "grace", "1m")));
        assertAll(
                () -> assertEquals("false", deploymentEnv(chart.one(Deployment.class), "OCI_MIRROR_RESCUE_ENABLED")),
                () -> assertEquals("1m",
                        deploymentEnv(chart.one(Deployment.class), "OCI_MIRROR_RESCUE_PULL_FAILURE_GRACE")),
                () -> assertTrue(inventory(chart).stream().noneMatch(o -> o.endsWith(InstallationContract.RESCUE_SUFFIX)),
                        inventory(chart).toString()));
    }

    @Test
    void warmAheadOffHasNoRightsOnNamespacesOrWorkloads() {
        Manifests chart = HelmChart.render(Map.of("warmAhead", Map.of("enabled", false)));
        assertAll(
                () -> assertEquals("false", deploymentEnv(chart.one(Deployment.class), "OCI_MIRROR_WARM_AHEAD_ENABLED")),
                () -> assertTrue(inventory(chart).stream()
                        .noneMatch(o -> o.endsWith(InstallationContract.WARM_AHEAD_SUFFIX)), inventory(chart).toString()));
    }

    @Test
    void oneReplicaHasNoDisruptionBudgetThatWouldBlockDrains() {
        Manifests chart = HelmChart.render(Map.of("replicaCount", 1));
        assertEquals(List.of(), chart.all(PodDisruptionBudget.class));
    }

    @Test
    void failurePolicyFailIsRenderedWhenAsked() {
        Manifests chart = HelmChart.render(Map.of("failurePolicy", "Fail"));
        assertTrue(chart.one(MutatingWebhookConfiguration.class).getWebhooks().stream()
                .allMatch(w -> "Fail".equals(w.getFailurePolicy())));
    }

    @Test
    void schemaRefusesValuesThatCannotWork() {
        List<Map<String, Object>> refused = List.of(
                Map.of("failurePolicy", "Sometimes"),
                Map.of("timeoutSeconds", 0),
                Map.of("replicaCount", 0),
                Map.of("imageTag", "0.2.0"),
                Map.of("certManager", Map.of("enable", true)),
                Map.of("pullFailureRescue", Map.of("enabled", true, "grace", "thirty seconds")),
                Map.of("credentials", Map.of("existingSecret", "Not_A_Name")));
        List<String> accepted = new ArrayList<>();
        for (Map<String, Object> values : refused) {
            try {
                HelmChart.template(values);
                accepted.add(values.toString());
            } catch (RuntimeException expected) {
                // Helm names the value in its message; the case is that it refuses at all.
            }
        }
        assertEquals(List.of(), accepted, "values the schema should refuse");
    }

    @Test
    void conflictingSecretNamesAreRefusedWithAMessage() {
        RuntimeException refused = assertThrows(RuntimeException.class, () -> HelmChart.template(Map.of(
                "mirrorConfig", Map.of("secretName", "one", "registryMirrors", Map.of()),
                "credentials", Map.of("existingSecret", "two"))));
        assertTrue(refused.getMessage().contains("credentials.existingSecret"), refused.getMessage());
    }

    static Stream<Arguments> refusedAtRender() {
        return Stream.of(
                Arguments.of("misspelt mirrorConfig key", Map.of("mirrorConfig", Map.of("registryMirors", Map.of())),
                        "registryMirors"),
                Arguments.of("misspelt mirror key", Map.of("mirrorConfig", Map.of("registryMirrors",
                        Map.of("docker.io", Map.of("basedomain", "mirror.example.com")))), "basedomain"),
                Arguments.of("unknown rewritePolicy", Map.of("mirrorConfig", Map.of("registryMirrors",
                        Map.of("docker.io", Map.of("baseDomain", "mirror.example.com", "rewritePolicy", "never")))),
                        "rewritePolicy"),
                Arguments.of("existingConfigMap with mirrorConfig", Map.of("existingConfigMap", "shared-config",
                        "mirrorConfig", Map.of("registryMirrors", Map.of())), "existingConfigMap and mirrorConfig"),
                Arguments.of("extraVolumeMounts without mountPath",
                        Map.of("extraVolumeMounts", List.of(Map.of("name", "ca"))), "mountPath"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedAtRender")
    void valuesThatCannotWorkAreRefusedAtRender(String name, Map<String, Object> values, String named) {
        RuntimeException refused = assertThrows(RuntimeException.class, () -> HelmChart.template(values));
        assertTrue(refused.getMessage().contains(named), refused.getMessage());
    }

    @Test
    void defaultExclusionsAreTheBases() throws Exception {
        MirrorConfiguration chart = new MirrorConfigurationParser().parse(HelmChart.render(Map.of())
                .one(ConfigMap.class).getData().get("containerRegistryConfig"));
        MirrorConfiguration base = new MirrorConfigurationParser()
                .parse(Project.read(Project.BASE.resolve("mirror-config.yaml")));
        assertEquals(base.exclusions(), chart.exclusions());
    }

    @Test
    void extraVolumesAreMountedIntoTheWebhookContainer() {
        Manifests chart = HelmChart.render(Map.of(
                "extraVolumes", List.of(Map.of("name", "mirror-ca", "configMap", Map.of("name", "mirror-ca"))),
                "extraVolumeMounts", List.of(Map.of("name", "mirror-ca", "mountPath", "/etc/oci-mirror/ca",
                        "readOnly", true))));
        PodSpec pod = chart.one(Deployment.class).getSpec().getTemplate().getSpec();
        assertAll(
                () -> assertEquals("mirror-ca", pod.getVolumes().stream().filter(v -> v.getName().equals("mirror-ca"))
                        .findFirst().orElseThrow().getConfigMap().getName()),
                () -> assertEquals("/etc/oci-mirror/ca", pod.getContainers().get(0).getVolumeMounts().stream()
                        .filter(m -> m.getName().equals("mirror-ca")).findFirst().orElseThrow().getMountPath()));
    }

    // --- helpers -----------------------------------------------------------------------------------------------

    private static Map<String, Object> nonDefaultValues() {
        Map<String, Object> values = new HashMap<>();
        values.put("image", Map.of("repository", "registry.example.com/platform/oci-mirror-webhook"));
        values.put("replicaCount", 3);
        values.put("mirrorConfig", Map.of("registryMirrors",
                Map.of("docker.io", Map.of("baseDomain", "mirror.example.com", "subPath", "dockerhub-mirror"))));
        values.put("credentials", Map.of("existingSecret", "mirror-credentials"));
        values.put("namespaceSelector", Map.of("matchExpressions",
                List.of(Map.of("key", "environment", "operator", "NotIn", "values", List.of("sandbox")))));
        values.put("objectSelector", Map.of("matchExpressions",
                List.of(Map.of("key", "team", "operator", "NotIn", "values", List.of("legacy")))));
        values.put("timeoutSeconds", 3);
        values.put("resources", Map.of("requests", Map.of("cpu", "200m", "memory", "384Mi"),
                "limits", Map.of("memory", "512Mi")));
        values.put("priorityClassName", "system-cluster-critical");
        values.put("certManager", Map.of("enabled", true));
        values.put("metrics", Map.of(
                "serviceMonitor", Map.of("enabled", true, "labels", Map.of("release", "kube-prometheus")),
                "prometheusRule", Map.of("enabled", true)));
        values.put("greenhouse", Map.of("enabled", true));
        return values;
    }

    private static Set<String> inventory(Manifests manifests) {
        Set<String> rendered = new TreeSet<>();
        for (HasMetadata o : manifests.all()) {
            rendered.add(o.getKind() + "/" + o.getMetadata().getName());
        }
        return rendered;
    }

    private static String deploymentEnv(Deployment deployment, String name) {
        return deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                .filter(e -> name.equals(e.getName())).map(EnvVar::getValue).findFirst()
                .orElseThrow(() -> new AssertionError("no env " + name));
    }

    private static Map<String, String> with(Map<String, String> labels, String key, String value) {
        Map<String, String> copy = new HashMap<>(labels);
        copy.put(key, value);
        return copy;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> spec(GenericKubernetesResource resource) {
        return (Map<String, Object>) resource.getAdditionalProperties().get("spec");
    }

    private static X509Certificate certificate(String base64) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(Base64.getDecoder().decode(base64)));
    }
}

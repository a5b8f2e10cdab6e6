package io.ocimirror.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.ocimirror.config.ConfigurationOwner;
import io.ocimirror.configstore.ConfigurationStore;
import io.ocimirror.registry.RegistryCredential;
import io.ocimirror.testing.Await;
import io.ocimirror.testing.TestCertificates;
import io.ocimirror.testing.WebhookClient;
import io.ocimirror.testing.registry.DistributionRegistry;
import io.ocimirror.testing.registry.PushedArtifact;
import io.ocimirror.testing.registry.TestContent;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Replication as it runs in a cluster (fabric8 test API server): credentials from the Secret the configuration
 * names, followed when it changes, a Warning Event on a PluginDefinition whose chart replication gave up, and a
 * Normal Event naming the manifest digest on one whose chart was replicated. The chart registries stop with the JVM
 * (their shutdown hook): the API server's set-up that starts them has no end of its own.
 */
@QuarkusTest
@TestProfile(ClusterModeReplicationTest.InCluster.class)
@QuarkusTestResource(TestCertificates.class)
@WithKubernetesTestServer(crud = true, setup = ClusterModeReplicationTest.ConfigMapAndSecret.class)
class ClusterModeReplicationTest {

    static final String NAMESPACE = "oci-mirror-system";
    static final String SECRET = "registry-mirror-creds";
    static final String DEAD_MIRROR = "127.0.0.1:1";
    static final Duration LIMIT = Duration.ofSeconds(30);

    @KubernetesTestServer
    KubernetesServer server;

    @Inject
    ConfigurationStore store;

    @TestHTTPResource(value = "/", tls = true)
    URL url;

    public static class InCluster implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "oci-mirror.config-file", "",
                    "oci-mirror.configmap.namespace", NAMESPACE,
                    "oci-mirror.replication.enabled", "true",
                    "oci-mirror.replication.attempts", "2",
                    "oci-mirror.replication.initial-backoff", "50ms");
        }
    }

    /** A registry holding a chart and a pull-through mirror of it, started before the webhook reads its ConfigMap. */
    static DistributionRegistry chartUpstream;
    static DistributionRegistry chartMirror;
    static PushedArtifact chart;

    public static class ConfigMapAndSecret implements Consumer<KubernetesServer> {
        @Override
        public void accept(KubernetesServer server) {
            chartUpstream = DistributionRegistry.upstream().start();
            chart = TestContent.to(chartUpstream).pushHelmChart(TestContent.CHART_REPOSITORY, TestContent.CHART_VERSION);
            chartMirror = DistributionRegistry.proxyOf(chartUpstream).start();
            server.getClient().resource(new ConfigMapBuilder()
                    .withNewMetadata().withNamespace(NAMESPACE).withName("oci-mirror-config").endMetadata()
                    .withData(Map.of("containerRegistryConfig", """
                            secretName: %s
                            registryMirrors:
                              charts.example.org: {baseDomain: "%s", insecure: true}
                              charts.healthy.test: {baseDomain: "%s", insecure: true}
                            """.formatted(SECRET, DEAD_MIRROR, chartMirror.hostPort())))
                    .build()).create();
            server.getClient().resource(secret("robot", "first-password")).create();
        }
    }

    @Test
    void followsTheCredentialsSecret() {
        await(() -> store.credentials(ConfigurationOwner.WEBHOOK).forHost(DEAD_MIRROR)
                        .equals(Optional.of(new RegistryCredential("robot", "first-password"))),
                "the Secret's credentials to apply");

        server.getClient().resource(secret("robot", "rotated-password")).update();

        await(() -> store.credentials(ConfigurationOwner.WEBHOOK).forHost(DEAD_MIRROR)
                        .equals(Optional.of(new RegistryCredential("robot", "rotated-password"))),
                "the rotated password to apply without a restart");
    }

    @Test
    void recordsAWarningEventOnAPluginDefinitionWhoseChartCannotBeReplicated() {
        WebhookClient client = new WebhookClient(url);
        ObjectNode object = (ObjectNode) client.read("""
                {"apiVersion":"greenhouse.sap/v1alpha1","kind":"PluginDefinition",
                 "metadata":{"name":"podinfo","namespace":"platform"},
                 "spec":{"helmChart":{"name":"podinfo","repository":"oci://charts.example.org/stable","version":"6.5.0"}}}
                """);

        assertFalse(client.admit(client.review("greenhouse.sap", "v1alpha1", "plugindefinitions", null, "CREATE",
                "platform", object, null, false)).isEmpty());

        await(() -> !events().isEmpty(), "a Warning Event on the PluginDefinition");
        Event event = events().get(0);
        assertEquals("Warning", event.getType());
        assertEquals("PluginDefinition", event.getInvolvedObject().getKind());
        assertEquals("podinfo", event.getInvolvedObject().getName());
        assertTrue(event.getMessage().contains(DEAD_MIRROR + "/stable/podinfo:6.5.0"), event.getMessage());
        assertFalse(event.getMessage().contains("password"), event.getMessage());
    }

    @Test
    void recordsANormalEventWithTheManifestDigestWhenAChartIsReplicated() {
        WebhookClient client = new WebhookClient(url);
        ObjectNode object = (ObjectNode) client.read("""
                {"apiVersion":"greenhouse.sap/v1alpha1","kind":"PluginDefinition",
                 "metadata":{"name":"podinfo-healthy","namespace":"platform"},
                 "spec":{"helmChart":{"name":"podinfo","repository":"oci://charts.healthy.test/charts","version":"6.5.0"}}}
                """);

        assertFalse(client.admit(client.review("greenhouse.sap", "v1alpha1", "plugindefinitions", null, "CREATE",
                "platform", object, null, false)).isEmpty());

        await(() -> !events(KubernetesEventReporter.REPLICATED_REASON).isEmpty(), "a Normal Event on the PluginDefinition");
        Event event = events(KubernetesEventReporter.REPLICATED_REASON).get(0);
        assertEquals("Normal", event.getType());
        assertEquals("podinfo-healthy", event.getInvolvedObject().getName());
        assertTrue(event.getMessage().contains(chartMirror.hostPort() + "/charts/podinfo:6.5.0"), event.getMessage());
        assertTrue(event.getMessage().contains(chart.manifest().digest()), event.getMessage());
    }

    private List<Event> events() {
        return events(KubernetesEventReporter.REASON);
    }

    private List<Event> events(String reason) {
        return server.getClient().v1().events().inNamespace("platform").list().getItems().stream()
                .filter(e -> reason.equals(e.getReason()))
                .toList();
    }

    private static Secret secret(String username, String password) {
        return new SecretBuilder()
                .withNewMetadata().withNamespace(NAMESPACE).withName(SECRET).endMetadata()
                .withStringData(Map.of("username", username, "password", password))
                .build();
    }

    private static void await(BooleanSupplier condition, String what) {
        Await.until(LIMIT, condition, what);
    }
}

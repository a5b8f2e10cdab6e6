package io.ocimirror.configstore;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.ocimirror.testing.Await;
import io.ocimirror.testing.TestCertificates;
import io.ocimirror.testing.WebhookClient;
import io.ocimirror.web.ReadinessCheck;
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
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.eclipse.microprofile.health.Readiness;
import org.junit.jupiter.api.Test;

/**
 * The mirror configuration from a watched ConfigMap on the fabric8 test API server: an edit applies to the next
 * admission without a restart, an invalid edit keeps the last good configuration, is counted, sets
 * {@code oci_mirror_config_valid} to 0, is a Warning Event on the ConfigMap and shows in the readiness details.
 */
@QuarkusTest
@TestProfile(ConfigMapWatchTest.FromConfigMap.class)
@QuarkusTestResource(TestCertificates.class)
@WithKubernetesTestServer(crud = true, setup = ConfigMapWatchTest.InitialConfigMap.class)
class ConfigMapWatchTest {

    static final String NAMESPACE = "oci-mirror-system";
    static final String NAME = "oci-mirror-config";
    static final Duration PROPAGATION_LIMIT = Duration.ofSeconds(15);

    @KubernetesTestServer
    KubernetesServer server;

    @Inject
    MeterRegistry meters;

    @Inject
    @Readiness
    ReadinessCheck readiness;

    @TestHTTPResource(value = "/", tls = true)
    URL url;

    public static class FromConfigMap implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("oci-mirror.config-file", "", "oci-mirror.configmap.namespace", NAMESPACE);
        }
    }

    public static class InitialConfigMap implements Consumer<KubernetesServer> {
        @Override
        public void accept(KubernetesServer server) {
            server.getClient().resource(configMap(mirrorYaml("first-mirror.example.com"))).create();
        }
    }

    @Test
    void appliesAnEditWithoutRestartAndKeepsTheLastGoodConfigurationOnABadOne() {
        KubernetesClient client = server.getClient();
        awaitImage("first-mirror.example.com/hub/library/nginx:1.25", "the initial ConfigMap");
        String configMapUid = client.configMaps().inNamespace(NAMESPACE).withName(NAME).get().getMetadata().getUid();

        client.resource(configMap(mirrorYaml("second-mirror.example.com"))).update();
        awaitImage("second-mirror.example.com/hub/library/nginx:1.25", "the edited ConfigMap");

        double rejectedBefore = rejectedReloads();
        client.resource(configMap("registryMirrors:\n  docker.io:\n    subPath: hub\n")).update();
        awaitTrue(() -> rejectedReloads() > rejectedBefore, "the invalid edit to be counted as rejected");

        assertEquals("second-mirror.example.com/hub/library/nginx:1.25", admittedImage());
        awaitTrue(() -> rejectionEvent().isPresent(), "a Warning Event on the ConfigMap");
        Event event = rejectionEvent().orElseThrow();
        Object readinessDetail = readiness.call().getData().orElseThrow().get("mirrorConfiguration");
        assertAll(
                () -> assertEquals("Warning", event.getType()),
                () -> assertEquals(configMapUid, event.getInvolvedObject().getUid()),
                () -> assertTrue(event.getMessage().contains("registryMirrors.docker.io.baseDomain: is required"),
                        event.getMessage()),
                () -> assertEquals(0.0, meters.find(ConfigurationMetrics.VALID_METRIC)
                        .tag("organization", "").gauge().value()),
                () -> assertTrue(String.valueOf(readinessDetail).contains("rejected: ConfigMap oci-mirror-system/"
                        + "oci-mirror-config key containerRegistryConfig: registryMirrors.docker.io"),
                        String.valueOf(readinessDetail)));

        client.resource(configMap(mirrorYaml("third-mirror.example.com"))).update();
        awaitImage("third-mirror.example.com/hub/library/nginx:1.25", "a good edit after the bad one");
        assertEquals(1.0, meters.find(ConfigurationMetrics.VALID_METRIC)
                .tag("organization", "").gauge().value());
    }

    private Optional<Event> rejectionEvent() {
        return server.getClient().v1().events().inNamespace(NAMESPACE).list().getItems().stream()
                .filter(e -> ConfigurationEvents.REJECTED.equals(e.getReason()))
                .filter(e -> "ConfigMap".equals(e.getInvolvedObject().getKind())
                        && NAME.equals(e.getInvolvedObject().getName()))
                .findFirst();
    }

    private double rejectedReloads() {
        var counter = meters.find(ConfigurationMetrics.RELOADS_METRIC).tag("outcome", "rejected").counter();
        return counter == null ? 0 : counter.count();
    }

    private void awaitImage(String expected, String what) {
        awaitTrue(() -> expected.equals(admittedImage()), what + " to rewrite nginx:1.25 to " + expected);
    }

    private static void awaitTrue(BooleanSupplier condition, String what) {
        Await.until(PROPAGATION_LIMIT, condition, what);
    }

    private String admittedImage() {
        WebhookClient webhook = new WebhookClient(url);
        ObjectNode pod = (ObjectNode) webhook.read("""
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"shop"},
                 "spec":{"containers":[{"name":"web","image":"nginx:1.25"}]}}
                """);
        ObjectNode review = webhook.review("", "v1", "pods", null, "CREATE", "shop", pod, null, true);
        JsonNode mutated = webhook.admit(review).applyTo(pod);
        return mutated.at("/spec/containers/0/image").asText();
    }

    private static String mirrorYaml(String baseDomain) {
        return "registryMirrors:\n  docker.io:\n    baseDomain: " + baseDomain + "\n    subPath: hub\n";
    }

    private static ConfigMap configMap(String yaml) {
        return new ConfigMapBuilder()
                .withNewMetadata().withNamespace(NAMESPACE).withName(NAME).endMetadata()
                .withData(Map.of("containerRegistryConfig", yaml))
                .build();
    }
}

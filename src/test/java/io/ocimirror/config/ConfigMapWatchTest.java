package io.ocimirror.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.ocimirror.testing.Await;
import io.ocimirror.testing.TestCertificates;
import io.ocimirror.testing.WebhookClient;
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
import java.util.function.Consumer;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * The mirror configuration from a watched ConfigMap on the fabric8 test API server: an edit applies to the next
 * admission without a restart, an invalid edit keeps the last good configuration and is counted.
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

        client.resource(configMap(mirrorYaml("second-mirror.example.com"))).update();
        awaitImage("second-mirror.example.com/hub/library/nginx:1.25", "the edited ConfigMap");

        double rejectedBefore = rejectedReloads();
        client.resource(configMap("registryMirrors:\n  docker.io:\n    subPath: hub\n")).update();
        awaitTrue(() -> rejectedReloads() > rejectedBefore, "the invalid edit to be counted as rejected");

        assertEquals("second-mirror.example.com/hub/library/nginx:1.25", admittedImage());
    }

    private double rejectedReloads() {
        var counter = meters.find(MirrorConfigurationStore.RELOADS_METRIC).tag("outcome", "rejected").counter();
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

package io.ocimirror.greenhouse;

import static io.ocimirror.greenhouse.OrganizationRoutingTest.configMap;
import static io.ocimirror.greenhouse.OrganizationRoutingTest.createOrganization;
import static io.ocimirror.greenhouse.OrganizationRoutingTest.organizationCrd;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.ocimirror.config.ConfigurationOwner;
import io.ocimirror.configstore.ConfigurationStore;
import io.ocimirror.testing.Await;
import io.ocimirror.testing.TestCertificates;
import io.ocimirror.testing.WebhookClient;
import io.ocimirror.testing.registry.DistributionRegistry.Request;
import io.ocimirror.testing.registry.DistributionRegistry;
import io.ocimirror.testing.registry.RegistryAuth;
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
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Replication of an organisation's chart presents that organisation's credentials: two organisations share one
 * mirror (a real Docker Distribution behind htpasswd Basic auth); alpha's Secret, in namespace alpha, holds the
 * right password, beta's the wrong one, and the webhook's own configuration (a file) none. Only alpha's chart
 * is fetched; beta's replication gives up with a Warning Event on its PluginDefinition, recorded although the
 * webhook's own configuration is a file.
 */
@QuarkusTest
@TestProfile(OrganizationCredentialsTest.ReplicationOn.class)
@QuarkusTestResource(TestCertificates.class)
@WithKubernetesTestServer(crud = true, setup = OrganizationCredentialsTest.Crd.class)
class OrganizationCredentialsTest {

    static final Duration LIMIT = Duration.ofSeconds(30);
    static final String USER = "robot";
    static final String PASSWORD = "alpha-horse-battery";
    static final String SOURCE = "charts.example.org";
    static final String ALPHA_VERSION = "6.5.0";
    static final String BETA_VERSION = "6.5.1";

    static DistributionRegistry mirror;

    @KubernetesTestServer
    KubernetesServer server;

    @Inject
    ConfigurationStore store;


    @TestHTTPResource(value = "/", tls = true)
    URL url;

    public static class ReplicationOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "oci-mirror.greenhouse.enabled", "true",
                    "oci-mirror.replication.enabled", "true",
                    "oci-mirror.replication.attempts", "1",
                    "oci-mirror.replication.timeout", "10s");
        }
    }

    public static class Crd implements Consumer<KubernetesServer> {
        @Override
        public void accept(KubernetesServer server) {
            server.getClient().resource(organizationCrd(server.getClient())).create();
        }
    }

    @BeforeAll
    static void startMirror() {
        mirror = DistributionRegistry.upstream(RegistryAuth.basic(USER, PASSWORD)).start();
        TestContent content = TestContent.to(mirror);
        content.pushHelmChart("charts/podinfo", ALPHA_VERSION);
        content.pushHelmChart("charts/podinfo", BETA_VERSION);
    }

    @AfterAll
    static void stopMirror() {
        if (mirror != null) {
            mirror.close();
        }
    }

    @Test
    void replicatesEachOrganisationsChartWithThatOrganisationsCredentials() {
        KubernetesClient client = server.getClient();
        organisation(client, "alpha", PASSWORD);
        organisation(client, "beta", "wrong-horse-battery");
        Await.until(LIMIT, () -> hasCredentials("alpha") && hasCredentials("beta"),
                "both organisations' snapshots and Secrets to be read");
        assertEquals("oci://" + mirror.hostPort() + "/charts", admitChart("alpha", "0.0.0", true));

        admitChart("alpha", ALPHA_VERSION, false);
        admitChart("beta", BETA_VERSION, false);

        String alphaManifest = "/v2/charts/podinfo/manifests/" + ALPHA_VERSION;
        String betaManifest = "/v2/charts/podinfo/manifests/" + BETA_VERSION;
        List<Request> alphaFetched = mirror.awaitRequests(
                r -> r.method().equals("GET") && r.path().equals(alphaManifest) && r.status() == 200, 1, LIMIT);
        Await.until(LIMIT, () -> giveUpEvent("beta").isPresent(), "beta's replication to give up with an Event");
        List<Request> betaRequests = mirror.requests().stream()
                .filter(r -> r.method().equals("GET") && r.path().equals(betaManifest)).toList();
        assertAll(
                () -> assertEquals(1, alphaFetched.size(), "alpha's chart fetched with alpha's credentials"),
                () -> assertFalse(betaRequests.isEmpty(), "beta's chart was asked for"),
                () -> assertTrue(betaRequests.stream().allMatch(r -> r.status() == 401),
                        "beta's credentials are beta's, not alpha's: " + betaRequests),
                () -> assertTrue(giveUpEvent("beta").orElseThrow().getMessage().contains(BETA_VERSION)));
    }

    private boolean hasCredentials(String organization) {
        ConfigurationOwner owner = ConfigurationOwner.organization(organization);
        return store.snapshot(owner)
                .map(snapshot -> store.credentials(owner).forHost(mirror.hostPort()).isPresent())
                .orElse(false);
    }

    private void organisation(KubernetesClient client, String name, String password) {
        client.resource(new SecretBuilder()
                .withNewMetadata().withNamespace(name).withName(name + "-mirror-creds").endMetadata()
                .withStringData(Map.of("username", USER, "password", password))
                .build()).create();
        client.resource(configMap(name, "mirrors", """
                secretName: %s-mirror-creds
                registryMirrors:
                  %s: {baseDomain: "%s", insecure: true}
                """.formatted(name, SOURCE, mirror.hostPort()))).create();
        createOrganization(client, name, Optional.of("mirrors"));
    }

    /** @return the chart repository after admission */
    private String admitChart(String namespace, String version, boolean dryRun) {
        WebhookClient webhook = new WebhookClient(url);
        ObjectNode object = (ObjectNode) webhook.read("""
                {"apiVersion":"greenhouse.sap/v1alpha1","kind":"PluginDefinition",
                 "metadata":{"name":"podinfo","namespace":"%s"},
                 "spec":{"helmChart":{"name":"podinfo","repository":"oci://%s/charts","version":"%s"}}}
                """.formatted(namespace, SOURCE, version));
        ObjectNode review = webhook.review("greenhouse.sap", "v1alpha1", "plugindefinitions", null, "CREATE",
                namespace, object, null, dryRun);
        return webhook.admit(review).applyTo(object).at("/spec/helmChart/repository").asText();
    }

    private Optional<Event> giveUpEvent(String namespace) {
        return server.getClient().v1().events().inNamespace(namespace).list().getItems().stream()
                .filter(e -> "MirrorReplicationFailed".equals(e.getReason()))
                .findFirst();
    }
}

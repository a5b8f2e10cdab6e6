package io.ocimirror.greenhouse;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.ocimirror.configstore.ConfigurationEvents;
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
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.eclipse.microprofile.health.Readiness;
import org.junit.jupiter.api.Test;

/**
 * Greenhouse organisations on the fabric8 CRUD test server: each namespace routed to its organisation's mirrors,
 * other namespaces to the webhook's own configuration (here a file, so Events must work without a ConfigMap),
 * edits applied without a restart, bad edits kept out with an Event on the Organization. Each test uses
 * organisations of its own, so the tests do not depend on their order.
 */
@QuarkusTest
@TestProfile(OrganizationRoutingTest.OrganisationsOn.class)
@QuarkusTestResource(TestCertificates.class)
@WithKubernetesTestServer(crud = true, setup = OrganizationRoutingTest.Organisations.class)
class OrganizationRoutingTest {

    static final Duration LIMIT = Duration.ofSeconds(15);
    /** examples/mirror-config.yaml, the webhook's own configuration in the test profile. */
    static final String OWN_NGINX = "mirror.example.com/dockerhub-mirror/library/nginx:1.25";
    static final String CLUSTER_ORGANIZATION = "platform";

    @KubernetesTestServer
    KubernetesServer server;

    @Inject
    MeterRegistry meters;

    @Inject
    @Readiness
    OrganizationsReadinessCheck readiness;

    @TestHTTPResource(value = "/", tls = true)
    URL url;

    public static class OrganisationsOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("oci-mirror.greenhouse.enabled", "true",
                    "oci-mirror.greenhouse.cluster-organization", CLUSTER_ORGANIZATION);
        }
    }

    public static class Organisations implements Consumer<KubernetesServer> {
        @Override
        public void accept(KubernetesServer server) {
            KubernetesClient client = server.getClient();
            client.resource(organizationCrd(client)).create();
            for (String name : List.of("alpha", "beta", CLUSTER_ORGANIZATION)) {
                client.resource(configMap(name, name + "-mirrors", mirrorYaml(name + ".mirror.test"))).create();
                createOrganization(client, name, Optional.of(name + "-mirrors"));
            }
        }
    }

    @Test
    void routesEachNamespaceToItsOrganisationAndOthersToTheOwnConfiguration() {
        awaitImage("alpha", "alpha.mirror.test/hub/library/nginx:1.25");
        awaitImage("beta", "beta.mirror.test/hub/library/nginx:1.25");
        assertAll(
                () -> assertEquals(OWN_NGINX, admittedImage("shop"), "a namespace without an Organization"),
                () -> assertEquals("oci://alpha.mirror.test/ghcr/stefanprodan/charts",
                        admittedChartRepository("plugindefinitions", "alpha"), "a PluginDefinition in alpha"),
                () -> assertEquals("oci://beta.mirror.test/ghcr/stefanprodan/charts",
                        admittedChartRepository("plugindefinitions", "beta"), "a PluginDefinition in beta"));
    }

    @Test
    void clusterPluginDefinitionsUseTheConfiguredOrganisation() {
        awaitImage(CLUSTER_ORGANIZATION, CLUSTER_ORGANIZATION + ".mirror.test/hub/library/nginx:1.25");
        assertEquals("oci://" + CLUSTER_ORGANIZATION + ".mirror.test/ghcr/stefanprodan/charts",
                admittedChartRepository("clusterplugindefinitions", ""));
    }

    @Test
    void appliesAConfigMapEditAndAConfigMapRefChangeWithoutRestart() {
        KubernetesClient client = server.getClient();
        client.resource(configMap("gamma", "first", mirrorYaml("first.mirror.test"))).create();
        client.resource(configMap("gamma", "second", mirrorYaml("second.mirror.test"))).create();
        createOrganization(client, "gamma", Optional.of("first"));
        awaitImage("gamma", "first.mirror.test/hub/library/nginx:1.25");

        client.resource(configMap("gamma", "first", mirrorYaml("edited.mirror.test"))).update();
        awaitImage("gamma", "edited.mirror.test/hub/library/nginx:1.25");

        setConfigMapRef(client, "gamma", Optional.of("second"));
        awaitImage("gamma", "second.mirror.test/hub/library/nginx:1.25");
    }

    @Test
    void aBadEditOrAMissingConfigMapKeepsTheLastSnapshotAndIsReported() {
        KubernetesClient client = server.getClient();
        client.resource(configMap("delta", "mirrors", mirrorYaml("delta.mirror.test"))).create();
        GenericKubernetesResource organization = createOrganization(client, "delta", Optional.of("mirrors"));
        awaitImage("delta", "delta.mirror.test/hub/library/nginx:1.25");
        assertEquals(1.0, validGauge("delta"));

        client.resource(configMap("delta", "mirrors", "registryMirrors:\n  docker.io:\n    subPath: hub\n")).update();
        Event rejected = awaitEvent("delta", ConfigurationEvents.REJECTED, "registryMirrors.docker.io.baseDomain");
        assertAll(
                () -> assertEquals("Warning", rejected.getType()),
                () -> assertEquals("default", rejected.getMetadata().getNamespace()),
                () -> assertEquals("greenhouse.sap/v1alpha1", rejected.getInvolvedObject().getApiVersion()),
                () -> assertEquals(organization.getMetadata().getUid(), rejected.getInvolvedObject().getUid()),
                () -> assertNull(rejected.getInvolvedObject().getNamespace(), "cluster-scoped: no namespace"),
                () -> assertEquals(1.0, rejectedReloads("delta")),
                () -> assertEquals(0.0, validGauge("delta")),
                () -> assertTrue(readinessDetail("delta").startsWith("rejected: ConfigMap delta/mirrors"),
                        readinessDetail("delta")),
                () -> assertEquals("delta.mirror.test/hub/library/nginx:1.25", admittedImage("delta"),
                        "the last good snapshot stays in force"));

        setConfigMapRef(client, "delta", Optional.of("missing"));
        awaitEvent("delta", ConfigurationEvents.REJECTED, "ConfigMap delta/missing");
        assertAll(
                () -> assertEquals(2.0, rejectedReloads("delta")),
                () -> assertEquals("delta.mirror.test/hub/library/nginx:1.25", admittedImage("delta"),
                        "a missing ConfigMap keeps the last good snapshot too"));
    }

    @Test
    void unknownKeysAreAppliedAndNamedInAnEvent() {
        KubernetesClient client = server.getClient();
        client.resource(configMap("epsilon", "mirrors", """
                mirrorTimeout: 5s
                registryMirrors:
                  docker.io:
                    baseDomain: epsilon.mirror.test
                    subPath: hub
                    weight: 3
                """)).create();
        createOrganization(client, "epsilon", Optional.of("mirrors"));

        awaitImage("epsilon", "epsilon.mirror.test/hub/library/nginx:1.25");
        Event ignored = awaitEvent("epsilon", ConfigurationEvents.KEYS_IGNORED,
                "mirrorTimeout, registryMirrors.docker.io.weight");
        assertEquals("Warning", ignored.getType());
    }

    @Test
    void anOrganisationWithoutConfigMapRefOrKeyHasNoMirrors() {
        KubernetesClient client = server.getClient();
        createOrganization(client, "theta", Optional.empty());
        Await.until(LIMIT, () -> readinessDetail("theta") != null, "organization theta to be seen");
        assertEquals("nginx:1.25", admittedImage("theta"), "no configMapRef: nothing is rewritten");

        client.resource(new ConfigMapBuilder().withNewMetadata().withNamespace("theta").withName("other")
                .endMetadata().withData(Map.of("unrelated", "x")).build()).create();
        setConfigMapRef(client, "theta", Optional.of("other"));
        Await.until(LIMIT, () -> readinessDetail("theta").contains("has no key containerRegistryConfig"),
                () -> "theta's ConfigMap without the key, got " + readinessDetail("theta"));
        assertEquals("nginx:1.25", admittedImage("theta"), "no key: nothing is rewritten");
    }

    @Test
    void aDeletedOrganisationsNamespaceFallsBackToTheOwnConfiguration() {
        KubernetesClient client = server.getClient();
        client.resource(configMap("zeta", "mirrors", mirrorYaml("zeta.mirror.test"))).create();
        GenericKubernetesResource organization = createOrganization(client, "zeta", Optional.of("mirrors"));
        awaitImage("zeta", "zeta.mirror.test/hub/library/nginx:1.25");

        client.resource(organization).delete();
        awaitImage("zeta", OWN_NGINX);
        assertNull(readinessDetail("zeta"), "a deleted organisation leaves the readiness details");
    }

    // --- helpers -----------------------------------------------------------------------------------------------

    private void awaitImage(String namespace, String expected) {
        Await.until(LIMIT, () -> expected.equals(admittedImage(namespace)),
                () -> "nginx:1.25 in " + namespace + " to become " + expected + ", got " + admittedImage(namespace));
    }

    /** The first Event of this reason on the Organization whose message holds {@code text}. */
    private Event awaitEvent(String organization, String reason, String text) {
        Await.until(LIMIT, () -> event(organization, reason, text).isPresent(),
                () -> "a " + reason + " Event on Organization " + organization + " saying " + text + ", got "
                        + server.getClient().v1().events().inNamespace("default").list().getItems());
        return event(organization, reason, text).orElseThrow();
    }

    private Optional<Event> event(String organization, String reason, String text) {
        return server.getClient().v1().events().inNamespace("default").list().getItems().stream()
                .filter(e -> reason.equals(e.getReason()) && e.getMessage().contains(text))
                .filter(e -> "Organization".equals(e.getInvolvedObject().getKind())
                        && organization.equals(e.getInvolvedObject().getName()))
                .findFirst();
    }

    private double rejectedReloads(String organization) {
        Counter counter = meters.find("oci_mirror_config_reloads").tag("organization", organization)
                .tag("outcome", "rejected").counter();
        return counter == null ? 0 : counter.count();
    }

    private double validGauge(String organization) {
        Gauge gauge = meters.find("oci_mirror_config_valid").tag("organization", organization).gauge();
        return gauge == null ? Double.NaN : gauge.value();
    }

    private String readinessDetail(String organization) {
        Object detail = readiness.call().getData().orElse(Map.of()).get("organization." + organization);
        return detail == null ? null : detail.toString();
    }

    private String admittedImage(String namespace) {
        WebhookClient webhook = new WebhookClient(url);
        ObjectNode pod = (ObjectNode) webhook.read("""
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"%s"},
                 "spec":{"containers":[{"name":"web","image":"nginx:1.25"}]}}
                """.formatted(namespace));
        ObjectNode review = webhook.review("", "v1", "pods", null, "CREATE", namespace, pod, null, true);
        JsonNode mutated = webhook.admit(review).applyTo(pod);
        return mutated.at("/spec/containers/0/image").asText();
    }

    private String admittedChartRepository(String resource, String namespace) {
        WebhookClient webhook = new WebhookClient(url);
        String kind = resource.equals("plugindefinitions") ? "PluginDefinition" : "ClusterPluginDefinition";
        String metadata = namespace.isEmpty() ? "{\"name\":\"podinfo\"}"
                : "{\"name\":\"podinfo\",\"namespace\":\"" + namespace + "\"}";
        ObjectNode object = (ObjectNode) webhook.read("""
                {"apiVersion":"greenhouse.sap/v1alpha1","kind":"%s","metadata":%s,
                 "spec":{"helmChart":{"name":"podinfo","repository":"oci://ghcr.io/stefanprodan/charts",
                 "version":"6.5.0"}}}
                """.formatted(kind, metadata));
        ObjectNode review = webhook.review("greenhouse.sap", "v1alpha1", resource, null, "CREATE", namespace, object,
                null, true);
        return webhook.admit(review).applyTo(object).at("/spec/helmChart/repository").asText();
    }

    static String mirrorYaml(String baseDomain) {
        return """
                primaryMirror: %1$s
                registryMirrors:
                  docker.io: {baseDomain: %1$s, subPath: hub}
                  ghcr.io: {baseDomain: %1$s, subPath: ghcr}
                """.formatted(baseDomain);
    }

    static ConfigMap configMap(String namespace, String name, String yaml) {
        return new ConfigMapBuilder()
                .withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
                .withData(Map.of("containerRegistryConfig", yaml))
                .build();
    }

    static GenericKubernetesResource createOrganization(KubernetesClient client, String name,
            Optional<String> configMapRef) {
        Map<String, Object> spec = new HashMap<>();
        spec.put("description", "organisation " + name);
        configMapRef.ifPresent(ref -> spec.put("configMapRef", ref));
        GenericKubernetesResource organization = new GenericKubernetesResourceBuilder()
                .withApiVersion(OrganizationResource.API_VERSION)
                .withKind(OrganizationResource.KIND)
                .withNewMetadata().withName(name).withUid("uid-of-" + name).endMetadata()
                .withAdditionalProperties(Map.of("spec", spec))
                .build();
        return client.genericKubernetesResources(OrganizationResource.RESOURCE).resource(organization).create();
    }

    static void setConfigMapRef(KubernetesClient client, String name, Optional<String> configMapRef) {
        client.genericKubernetesResources(OrganizationResource.RESOURCE).withName(name).edit(organization -> {
            Map<String, Object> spec = new HashMap<>();
            spec.put("description", "organisation " + name);
            configMapRef.ifPresent(ref -> spec.put("configMapRef", ref));
            organization.getAdditionalProperties().put("spec", spec);
            return organization;
        });
    }

    static CustomResourceDefinition organizationCrd(KubernetesClient client) {
        try (InputStream in = OrganizationRoutingTest.class.getResourceAsStream("/greenhouse/organization-crd.yaml")) {
            return client.getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

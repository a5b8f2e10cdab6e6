package io.ocimirror.deploy;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.ocimirror.config.MirrorConfiguration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * deploy/base as kubectl renders it: the {@link InstallationContract}, and what only the base has (its own
 * Namespace and the mirror configuration it ships).
 */
class BaseManifestsTest extends InstallationContract {

    private static final String NAMESPACE = "oci-mirror-system";

    private final Manifests base = Manifests.render(Project.BASE);

    @Override
    Manifests manifests() {
        return base;
    }

    @Override
    String namespace() {
        return NAMESPACE;
    }

    @Test
    void rendersExactlyTheExpectedObjects() {
        Set<String> rendered = new TreeSet<>();
        base.all().forEach(o -> rendered.add(o.getKind() + "/" + o.getMetadata().getName()));
        assertEquals(new TreeSet<>(Set.of(
                "Namespace/oci-mirror-system",
                "ServiceAccount/oci-mirror-webhook",
                "Role/oci-mirror-webhook",
                "RoleBinding/oci-mirror-webhook",
                "ClusterRole/oci-mirror-webhook-events",
                "ClusterRoleBinding/oci-mirror-webhook-events",
                "ClusterRole/oci-mirror-webhook-rescue",
                "ClusterRoleBinding/oci-mirror-webhook-rescue",
                "Role/oci-mirror-webhook-rescue",
                "RoleBinding/oci-mirror-webhook-rescue",
                "ClusterRole/oci-mirror-webhook-warm-ahead",
                "ClusterRoleBinding/oci-mirror-webhook-warm-ahead",
                "ConfigMap/oci-mirror-config",
                "Deployment/oci-mirror-webhook",
                "PodDisruptionBudget/oci-mirror-webhook",
                "Service/oci-mirror-webhook",
                "MutatingWebhookConfiguration/oci-mirror-webhook")), rendered);
    }

    @Test
    void namespaceEnforcesRestrictedPodSecurityAndIsNotOptedIn() {
        Namespace namespace = base.one(Namespace.class);
        assertEquals(NAMESPACE, namespace.getMetadata().getName());
        Map<String, String> labels = namespace.getMetadata().getLabels();
        assertEquals("restricted", labels.get("pod-security.kubernetes.io/enforce"));
        assertFalse(labels.containsKey(ENABLED_LABEL), "the webhook must not mutate its own pods");
    }

    @Test
    void noCaBundleInTheBase() {
        // Filled in at install time by certs-scripts or cert-manager; a stale one here would be wrong.
        base.one(MutatingWebhookConfiguration.class).getWebhooks().forEach(webhook ->
                assertNull(webhook.getClientConfig().getCaBundle(), webhook.getName()));
    }

    @Test
    void shipsAConfigurationThatRewritesNothingUntilTheAdminFillsItIn() throws Exception {
        // Example mirrors would rewrite every opted-in Pod to hosts that do not exist.
        ConfigMap configMap = base.one(ConfigMap.class);
        assertEquals(Project.read(Project.BASE.resolve("mirror-config.yaml")),
                configMap.getData().get("containerRegistryConfig"), "the ConfigMap carries the file unchanged");
        MirrorConfiguration configuration = mirrorConfiguration(configMap);
        assertAll(
                () -> assertTrue(configuration.mirrors().isEmpty(), "no mirrors"),
                () -> assertTrue(configuration.secretName().isEmpty(), "no Secret the Role would have to name"));
    }
}

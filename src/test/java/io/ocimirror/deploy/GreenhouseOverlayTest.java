package io.ocimirror.deploy;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * deploy/overlays/greenhouse: the base with Greenhouse organisations switched on and read-only RBAC for
 * Organizations and, cluster-wide, the ConfigMaps and Secrets they name; Events are the base's.
 */
class GreenhouseOverlayTest {

    private static final String PROPERTY = "oci-mirror.greenhouse.enabled";
    private static final String ROLE = "oci-mirror-webhook-greenhouse";

    private static Manifests base;
    private static Manifests overlay;

    @BeforeAll
    static void render() {
        base = Manifests.render(Project.BASE);
        overlay = Manifests.render(Project.GREENHOUSE);
    }

    @Test
    void switchesTheOrganisationsOnInTheWebhookContainer() {
        List<EnvVar> env = overlay.one(Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0)
                .getEnv();
        // MicroProfile Config's environment variable name for the property.
        String variable = PROPERTY.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
        assertEquals(List.of("true"), env.stream().filter(e -> e.getName().equals(variable)).map(EnvVar::getValue)
                .toList());
    }

    @Test
    void grantsReadOnlyAccessToOrganizationsAndTheConfigMapsAndSecretsTheyName() {
        ClusterRole role = overlay.named(ClusterRole.class, ROLE);
        Set<String> rules = new TreeSet<>();
        for (PolicyRule rule : role.getRules()) {
            assertEquals(List.of("get", "list", "watch"), rule.getVerbs(), "read-only: " + rule);
            assertTrue(rule.getResourceNames() == null || rule.getResourceNames().isEmpty(),
                    "names are known only at run time: " + rule);
            for (String group : rule.getApiGroups()) {
                for (String resource : rule.getResources()) {
                    rules.add(group + "/" + resource);
                }
            }
        }
        assertEquals(Set.of("greenhouse.sap/organizations", "/configmaps", "/secrets"), rules);
    }

    @Test
    void bindsTheRoleToTheWebhooksServiceAccount() {
        ClusterRoleBinding binding = overlay.named(ClusterRoleBinding.class, ROLE);
        Deployment deployment = overlay.one(Deployment.class);
        assertAll(
                () -> assertEquals("ClusterRole", binding.getRoleRef().getKind()),
                () -> assertEquals(ROLE, binding.getRoleRef().getName()),
                () -> assertEquals(1, binding.getSubjects().size()),
                () -> assertEquals(deployment.getSpec().getTemplate().getSpec().getServiceAccountName(),
                        binding.getSubjects().get(0).getName()),
                () -> assertEquals(deployment.getMetadata().getNamespace(),
                        binding.getSubjects().get(0).getNamespace()));
    }

    @Test
    void organisationEventsAreAllowedInEveryNamespace() {
        // An Organization is cluster-scoped: its Events go to "default", which only a ClusterRole can grant.
        String serviceAccount = overlay.one(Deployment.class).getSpec().getTemplate().getSpec().getServiceAccountName();
        boolean allowed = overlay.all(ClusterRoleBinding.class).stream()
                .filter(b -> b.getSubjects().stream().anyMatch(s -> serviceAccount.equals(s.getName())))
                .map(b -> overlay.named(ClusterRole.class, b.getRoleRef().getName()))
                .flatMap(r -> r.getRules().stream())
                .anyMatch(rule -> rule.getApiGroups().contains("") && rule.getResources().contains("events")
                        && rule.getVerbs().contains("create"));
        assertTrue(allowed, "a ClusterRole bound to " + serviceAccount + " allows creating core Events");
    }

    @Test
    void everythingElseIsTheBase() {
        Set<String> baseObjects = new TreeSet<>();
        base.documents().forEach(document -> baseObjects.add(document.toString()));
        Set<String> overlayObjects = new TreeSet<>();
        for (JsonNode document : overlay.documents()) {
            if (document.path("metadata").path("name").asText().equals(ROLE)) {
                continue;
            }
            ObjectNode copy = document.deepCopy();
            if (copy.at("/spec/template/spec/containers/0/env") instanceof ArrayNode env) {
                List<JsonNode> kept = new ArrayList<>();
                env.forEach(variable -> {
                    if (!variable.path("name").asText().equals("OCI_MIRROR_GREENHOUSE_ENABLED")) {
                        kept.add(variable);
                    }
                });
                env.removeAll();
                env.addAll(kept);
            }
            overlayObjects.add(copy.toString());
        }
        assertEquals(baseObjects, overlayObjects);
    }
}

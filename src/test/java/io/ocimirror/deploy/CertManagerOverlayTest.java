package io.ocimirror.deploy;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * deploy/overlays/cert-manager: the base unchanged but for the CA injection annotation, and a certificate chain
 * whose serving certificate names the Service and lands in the Secret the Deployment mounts.
 */
class CertManagerOverlayTest {

    private static final String INJECT_CA_FROM = "cert-manager.io/inject-ca-from";

    private static Manifests base;
    private static Manifests overlay;

    @BeforeAll
    static void render() {
        base = Manifests.render(Project.BASE);
        overlay = Manifests.render(Project.CERT_MANAGER);
    }

    @Test
    void baseObjectsAreUnchangedButForTheInjectionAnnotation() {
        List<String> baseObjects = new ArrayList<>();
        for (JsonNode document : base.documents()) {
            baseObjects.add(document.toString());
        }
        List<String> overlayObjects = new ArrayList<>();
        for (JsonNode document : overlay.documents()) {
            if (document.path("apiVersion").asText().startsWith("cert-manager.io/")) {
                continue;
            }
            ObjectNode copy = document.deepCopy();
            JsonNode annotations = copy.path("metadata").path("annotations");
            if (annotations instanceof ObjectNode map) {
                map.remove(INJECT_CA_FROM);
                if (map.isEmpty()) {
                    ((ObjectNode) copy.get("metadata")).remove("annotations");
                }
            }
            overlayObjects.add(copy.toString());
        }
        assertEquals(new TreeSet<>(baseObjects), new TreeSet<>(overlayObjects));
    }

    @Test
    void caIsInjectedIntoTheWebhooksFromTheServingCertificate() {
        MutatingWebhookConfiguration configuration = overlay.one(MutatingWebhookConfiguration.class);
        String reference = configuration.getMetadata().getAnnotations().get(INJECT_CA_FROM);
        assertNotNull(reference, INJECT_CA_FROM);
        String[] parts = reference.split("/");
        assertEquals(2, parts.length, "namespace/name: " + reference);
        GenericKubernetesResource certificate = overlay.generic("Certificate", parts[1]);
        assertEquals(parts[0], certificate.getMetadata().getNamespace());
        assertEquals(servingCertificate().getMetadata().getName(), certificate.getMetadata().getName(),
                "inject the CA that signed the serving certificate");
    }

    @Test
    void servingCertificateNamesTheServiceAndFillsTheMountedSecret() {
        GenericKubernetesResource serving = servingCertificate();
        Service service = overlay.one(Service.class);
        String name = service.getMetadata().getName();
        String namespace = service.getMetadata().getNamespace();
        String mountedSecret = overlay.one(Deployment.class).getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(v -> v.getSecret() != null).map(v -> v.getSecret().getSecretName()).findFirst().orElseThrow();
        assertAll(
                () -> assertEquals(Set.of(name, name + "." + namespace, name + "." + namespace + ".svc",
                        name + "." + namespace + ".svc.cluster.local"), Set.copyOf(strings(serving, "dnsNames"))),
                () -> assertEquals(mountedSecret, spec(serving).get("secretName")),
                () -> assertTrue(strings(serving, "usages").contains("server auth"), "usages: server auth"),
                () -> assertFalse(Boolean.TRUE.equals(spec(serving).get("isCA")), "not a CA"),
                () -> assertEquals(namespace, serving.getMetadata().getNamespace()));
    }

    @Test
    void servingCertificateIsRenewedWellBeforeItExpires() {
        Map<String, Object> spec = spec(servingCertificate());
        Duration duration = goDuration((String) spec.get("duration"));
        Duration renewBefore = goDuration((String) spec.get("renewBefore"));
        // The renewed Secret reaches the pods after the kubelet sync and the 30 s reload period: minutes, not days.
        assertTrue(renewBefore.compareTo(Duration.ofDays(1)) >= 0, "renewBefore " + renewBefore);
        assertTrue(renewBefore.compareTo(duration) < 0, "renewBefore " + renewBefore + " < duration " + duration);
    }

    @Test
    void issuersChainFromSelfSignedThroughTheCa() {
        GenericKubernetesResource serving = servingCertificate();
        GenericKubernetesResource caIssuer = issuer(serving);
        Map<String, Object> ca = map(spec(caIssuer), "ca");
        assertNotNull(ca, caIssuer.getMetadata().getName() + " is a CA issuer");
        GenericKubernetesResource caCertificate = overlay.all(GenericKubernetesResource.class).stream()
                .filter(o -> "Certificate".equals(o.getKind()) && ca.get("secretName").equals(spec(o).get("secretName")))
                .findFirst().orElseThrow(() -> new AssertionError("no Certificate makes the CA Secret " + ca));
        GenericKubernetesResource root = issuer(caCertificate);
        assertAll(
                () -> assertEquals(Boolean.TRUE, spec(caCertificate).get("isCA"), "the CA certificate is a CA"),
                () -> assertNotNull(map(spec(root), "selfSigned"), "the CA is self-signed"),
                () -> assertTrue(List.of(caIssuer, caCertificate, root).stream()
                        .allMatch(o -> "oci-mirror-system".equals(o.getMetadata().getNamespace())), "one namespace"));
    }

    // --- helpers -----------------------------------------------------------------------------------------------

    private static GenericKubernetesResource servingCertificate() {
        List<GenericKubernetesResource> serving = overlay.all(GenericKubernetesResource.class).stream()
                .filter(o -> "Certificate".equals(o.getKind()) && !Boolean.TRUE.equals(spec(o).get("isCA")))
                .toList();
        assertEquals(1, serving.size(), "one serving Certificate");
        return serving.get(0);
    }

    /** The namespaced Issuer a Certificate names in its issuerRef. */
    private static GenericKubernetesResource issuer(GenericKubernetesResource certificate) {
        Map<String, Object> reference = map(spec(certificate), "issuerRef");
        assertEquals("Issuer", reference.get("kind"), "a namespaced Issuer");
        assertEquals("cert-manager.io", reference.get("group"));
        return overlay.generic("Issuer", (String) reference.get("name"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> spec(GenericKubernetesResource resource) {
        return (Map<String, Object>) resource.getAdditionalProperties().get("spec");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> parent, String key) {
        return (Map<String, Object>) parent.get(key);
    }

    @SuppressWarnings("unchecked")
    private static List<String> strings(GenericKubernetesResource resource, String key) {
        return (List<String>) spec(resource).get(key);
    }

    /** A Go duration as cert-manager writes them: hours, minutes and seconds ("2160h", "1h30m"). */
    private static Duration goDuration(String text) {
        Matcher matcher = Pattern.compile("(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?").matcher(text);
        assertTrue(text != null && !text.isEmpty() && matcher.matches(), "not a Go duration: " + text);
        Duration duration = Duration.ZERO;
        if (matcher.group(1) != null) {
            duration = duration.plusHours(Long.parseLong(matcher.group(1)));
        }
        if (matcher.group(2) != null) {
            duration = duration.plusMinutes(Long.parseLong(matcher.group(2)));
        }
        if (matcher.group(3) != null) {
            duration = duration.plusSeconds(Long.parseLong(matcher.group(3)));
        }
        return duration;
    }
}

package io.ocimirror.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The strict reader behind the manifest tests: a field the model does not know fails instead of vanishing. */
class ManifestsTest {

    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
            spec:
              replicas: 2
              template:
                spec:
                  containers:
                    - name: web
                      image: nginx
            %s
            """;

    static Stream<Arguments> unknownFields() {
        return Stream.of(
                // case, YAML appended under the container, the path reported
                Arguments.of("misspelt probe", "          readinesProbe: {}", "containers[0]"),
                Arguments.of("field one level too high", "      runAsNonRoot: true", "template.spec"),
                Arguments.of("unknown field inside a known one",
                        "          securityContext:\n            readOnlyRootFS: true", "securityContext"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unknownFields")
    void unknownFieldsFail(String name, String extra, String path) {
        AssertionError error = assertThrows(AssertionError.class, () -> Manifests.parse(DEPLOYMENT.formatted(extra)));
        assertTrue(error.getMessage().contains("fields the Kubernetes model does not know"), error.getMessage());
        assertTrue(error.getMessage().contains(path), error.getMessage());
    }

    @Test
    void knownFieldsAreTyped() {
        Manifests manifests = Manifests.parse(DEPLOYMENT.formatted(""));
        assertEquals(2, manifests.one(Deployment.class).getSpec().getReplicas());
    }

    @Test
    void certManagerKindsAreGeneric() {
        Manifests manifests = Manifests.parse("""
                apiVersion: cert-manager.io/v1
                kind: Issuer
                metadata:
                  name: selfsigned
                spec:
                  selfSigned: {}
                """);
        assertInstanceOf(GenericKubernetesResource.class, manifests.generic("Issuer", "selfsigned"));
    }

    @Test
    void anUnknownApiVersionOfABuiltInKindFails() {
        AssertionError error = assertThrows(AssertionError.class, () -> Manifests.parse("""
                apiVersion: admissionregistration.k8s.io/v2
                kind: MutatingWebhookConfiguration
                metadata:
                  name: x
                """));
        assertTrue(error.getMessage().contains("has no typed model"), error.getMessage());
    }
}

package io.ocimirror.deploy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * deploy/helm/oci-mirror-webhook rendered by Helm itself (helm-java bundles Helm as a native library), as
 * {@code helm template} renders it: no cluster, so {@code lookup} finds nothing, and Kubernetes v1.20 as the
 * assumed version (helm-java takes no --kube-version; the chart has no .Capabilities switches).
 */
final class HelmChart {

    static final Path CHART = Path.of("deploy", "helm", "oci-mirror-webhook");
    static final String RELEASE = "oci-mirror-webhook";
    static final String NAMESPACE = "oci-mirror-system";

    private HelmChart() {
    }

    /** The chart rendered with these values over values.yaml; throws when Helm refuses them (schema, fail). */
    static String template(Map<String, Object> values) {
        try {
            Path file = Files.createTempFile("oci-mirror-values", ".yaml");
            try {
                new ObjectMapper(new YAMLFactory()).writeValue(file.toFile(), values);
                return new Helm(CHART).template().withName(RELEASE).withNamespace(NAMESPACE).withValuesFile(file)
                        .call();
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Manifests render(Map<String, Object> values) {
        return Manifests.parse(template(values));
    }

    /** helm lint --strict with values.yaml. */
    static LintResult lint() {
        return new Helm(CHART).lint().strict().call();
    }
}

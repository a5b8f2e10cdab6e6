package io.ocimirror.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.ocimirror.testing.TestCertificates;
import io.ocimirror.testing.WebhookClient.Admission;
import io.ocimirror.testing.WebhookClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.URL;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A registry host written in another case is the same host (DNS and the TLS host check are case-insensitive,
 * RFC 4343), and containerd pulls {@code GHCR.io/...} from ghcr.io: such an image is mirrored like its lower-case
 * form, the original is recorded as written, and a second pass changes nothing. Configuration:
 * {@code examples/mirror-config.yaml} (ghcr.io and quay.io on mirror.example.com).
 */
@QuarkusTest
@QuarkusTestResource(TestCertificates.class)
class RegistryHostCaseTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String GHCR = "mirror.example.com/ghcr-mirror/";
    private static final String QUAY = "mirror.example.com/quay-mirror/";

    @TestHTTPResource(value = "/", tls = true)
    URL url;

    static Stream<Arguments> pods() {
        return Stream.of(
                // name, images as written (containers api, exporter, worker), images after the rewrite
                Arguments.of("a Pod of public report 24: upper-case hosts beside a lower-case one",
                        List.of("GHCR.io/acme/payments-api:2.4.1", "Quay.IO/prometheus/node-exporter:v1.8.2",
                                "ghcr.io/acme/payments-worker:2.4.1"),
                        List.of(GHCR + "acme/payments-api:2.4.1", QUAY + "prometheus/node-exporter:v1.8.2",
                                GHCR + "acme/payments-worker:2.4.1")),
                Arguments.of("mixed case hosts, tags kept in their case",
                        List.of("gHcR.Io/acme/api:RC-1", "QUAY.IO/prometheus/node-exporter:V1",
                                "Ghcr.io/acme/worker@sha256:" + "e".repeat(64)),
                        List.of(GHCR + "acme/api:RC-1", QUAY + "prometheus/node-exporter:V1",
                                GHCR + "acme/worker@sha256:" + "e".repeat(64))),
                Arguments.of("Docker Hub's alias host in upper case",
                        List.of("INDEX.DOCKER.IO/library/nginx:1.25", "Registry-1.Docker.IO/bitnami/redis:7",
                                "Docker.io/library/busybox:1.36"),
                        List.of("mirror.example.com/dockerhub-mirror/library/nginx:1.25",
                                "mirror.example.com/dockerhub-mirror/bitnami/redis:7",
                                "mirror.example.com/dockerhub-mirror/library/busybox:1.36")),
                Arguments.of("a mirror host in upper case is already mirrored",
                        List.of("MIRROR.example.com/ghcr-mirror/acme/api:1", "Mirror.Example.Com/quay-mirror/x/y:2",
                                "ghcr.io/acme/worker:3"),
                        List.of("MIRROR.example.com/ghcr-mirror/acme/api:1", "Mirror.Example.Com/quay-mirror/x/y:2",
                                GHCR + "acme/worker:3")),
                Arguments.of("an excluded image whose host is in upper case stays excluded",
                        List.of("GHCR.IO/cloudnative-pg/postgresql:16", "ghcr.io/cloudnative-pg/pgbouncer:1",
                                "Ghcr.io/acme/worker:3"),
                        List.of("GHCR.IO/cloudnative-pg/postgresql:16", "ghcr.io/cloudnative-pg/pgbouncer:1",
                                GHCR + "acme/worker:3")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pods")
    void mirrorsAHostInAnyCaseAsItsLowerCaseForm(String name, List<String> written, List<String> rewritten) {
        WebhookClient client = new WebhookClient(url);
        ObjectNode review = client.review("", "v1", "pods", null, "CREATE", "payments", pod(written), null, false);

        WebhookClient.Settled settled = client.admitAndResubmit(review);

        Pod pod = settled.as(Pod.class);
        assertEquals(rewritten, pod.getSpec().getContainers().stream().map(Container::getImage).toList());
        Map<String, String> originals = new TreeMap<>();
        List<String> names = List.of("api", "exporter", "worker");
        for (int i = 0; i < written.size(); i++) {
            if (!written.get(i).equals(rewritten.get(i))) {
                originals.put(names.get(i), written.get(i));
            }
        }
        String recorded = pod.getMetadata().getAnnotations() == null ? null
                : pod.getMetadata().getAnnotations().get(PodHandler.ORIGINAL_IMAGES_ANNOTATION);
        assertEquals(originals, recorded == null ? Map.of() : new TreeMap<>(read(recorded)));
        assertTrue(settled.admission().warnings().isEmpty(), settled.admission().warnings().toString());
    }

    @ParameterizedTest(name = "dry run: {0}")
    @MethodSource("pods")
    void patchesADryRunTheSame(String name, List<String> written, List<String> rewritten) {
        WebhookClient client = new WebhookClient(url);

        Admission real = client.admit(client.review("", "v1", "pods", null, "CREATE", "payments", pod(written), null,
                false));
        Admission dryRun = client.admit(client.review("", "v1", "pods", null, "CREATE", "payments", pod(written), null,
                true));

        assertEquals(real.applyTo(pod(written)), dryRun.applyTo(pod(written)));
    }

    private static ObjectNode pod(List<String> images) {
        ObjectNode pod = MAPPER.createObjectNode().put("apiVersion", "v1").put("kind", "Pod");
        pod.putObject("metadata").put("generateName", "payments-api-6c9f7d5b8-").put("namespace", "payments");
        var containers = pod.putObject("spec").putArray("containers");
        List<String> names = List.of("api", "exporter", "worker");
        for (int i = 0; i < images.size(); i++) {
            containers.addObject().put("name", names.get(i)).put("image", images.get(i))
                    .put("imagePullPolicy", "IfNotPresent");
        }
        return pod;
    }

    private static Map<String, String> read(String json) {
        try {
            JsonNode node = MAPPER.readTree(json);
            return MAPPER.convertValue(node, MAPPER.getTypeFactory().constructMapType(Map.class, String.class,
                    String.class));
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }
}

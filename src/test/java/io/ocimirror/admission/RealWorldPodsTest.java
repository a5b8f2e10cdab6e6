package io.ocimirror.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.ocimirror.testing.LogCapture;
import io.ocimirror.testing.TestCertificates;
import io.ocimirror.testing.WebhookClient.Settled;
import io.ocimirror.testing.WebhookClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pods as the controllers of real clusters create them, built from the Kubernetes API's own types (fabric8's model),
 * through {@code POST /mutate} over HTTPS and the API server's round: apply the patch, read the typed Pod strictly,
 * admit it again (no change). Configuration: {@code examples/mirror-config.yaml}.
 */
@QuarkusTest
@QuarkusTestResource(TestCertificates.class)
class RealWorldPodsTest {

    private static final String HUB = "mirror.example.com/dockerhub-mirror/";
    private static final String GHCR = "mirror.example.com/ghcr-mirror/";
    private static final String K8S = "mirror.example.com/k8s-mirror/";
    private static final LogCapture LOGS = LogCapture.install();
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TestHTTPResource(value = "/", tls = true)
    URL url;

    private static Container container(String name, String image) {
        return new ContainerBuilder().withName(name).withImage(image).withImagePullPolicy("IfNotPresent")
                .addNewPort().withContainerPort(8080).endPort()
                .withNewResources().addToRequests("cpu", new Quantity("100m"))
                .endResources()
                .build();
    }

    private static PodTemplateSpec template(List<Container> initContainers, List<Container> containers) {
        return new PodTemplateSpecBuilder()
                .withNewMetadata().addToLabels("app", "shop").endMetadata()
                .withNewSpec().withInitContainers(initContainers).withContainers(containers)
                .withServiceAccountName("shop").endSpec()
                .build();
    }

    /** The Pod a controller creates from a template: the template's spec, a generated name and an owner. */
    private static Pod podOf(PodTemplateSpec template, String ownerApiVersion, String ownerKind) {
        return new PodBuilder()
                .withNewMetadata().withGenerateName("shop-").withNamespace("shop")
                .withLabels(template.getMetadata().getLabels())
                .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion(ownerApiVersion).withKind(ownerKind)
                        .withName("shop").withUid("8c1d6f4e-0000-4000-8000-000000000001").withController(true).build())
                .endMetadata()
                .withSpec(template.getSpec())
                .build();
    }

    static Stream<Arguments> workloads() {
        PodTemplateSpec web = template(List.of(), List.of(container("web", "nginx:1.25"),
                container("metrics", "quay.io/prometheus/nginx-exporter:1.1")));
        PodTemplateSpec database = template(List.of(container("init-permissions", "busybox:1.36")),
                List.of(container("db", "ghcr.io/shop/db:16.2")));
        PodTemplateSpec agent = template(List.of(), List.of(container("agent", "registry.k8s.io/kube-proxy:v1.31.0")));
        Container sidecar = new ContainerBuilder(container("log-shipper", "docker.io/fluent/fluent-bit:3.1"))
                .withRestartPolicy("Always").build();
        PodTemplateSpec batch = template(List.of(sidecar), List.of(container("migrate", "ghcr.io/shop/migrate:2")));
        batch.getSpec().setRestartPolicy("Never");
        PodTemplateSpec nightly = template(List.of(), List.of(container("report", "ghcr.io/shop/report@sha256:" + "e".repeat(64))));
        nightly.getSpec().setRestartPolicy("OnFailure");
        return Stream.of(
                // workload, the Pod its controller creates, images after the rewrite (init containers first)
                Arguments.of("Deployment", podOf(new DeploymentBuilder().withNewSpec().withTemplate(web).endSpec().build()
                        .getSpec().getTemplate(), "apps/v1", "ReplicaSet"),
                        List.of(HUB + "library/nginx:1.25", "mirror.example.com/quay-mirror/prometheus/nginx-exporter:1.1")),
                Arguments.of("StatefulSet", podOf(new StatefulSetBuilder().withNewSpec().withTemplate(database).endSpec()
                        .build().getSpec().getTemplate(), "apps/v1", "StatefulSet"),
                        List.of(HUB + "library/busybox:1.36", GHCR + "shop/db:16.2")),
                Arguments.of("DaemonSet", podOf(new DaemonSetBuilder().withNewSpec().withTemplate(agent).endSpec().build()
                        .getSpec().getTemplate(), "apps/v1", "DaemonSet"),
                        List.of(K8S + "kube-proxy:v1.31.0")),
                Arguments.of("Job with a native sidecar", podOf(new JobBuilder().withNewSpec().withTemplate(batch).endSpec()
                        .build().getSpec().getTemplate(), "batch/v1", "Job"),
                        List.of(HUB + "fluent/fluent-bit:3.1", GHCR + "shop/migrate:2")),
                Arguments.of("CronJob", podOf(new CronJobBuilder().withNewSpec().withSchedule("0 3 * * *")
                        .withNewJobTemplate().withNewSpec().withTemplate(nightly).endSpec().endJobTemplate().endSpec()
                        .build().getSpec().getJobTemplate().getSpec().getTemplate(), "batch/v1", "Job"),
                        List.of(GHCR + "shop/report@sha256:" + "e".repeat(64))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("workloads")
    void rewritesEveryImageAndKeepsEveryOtherField(String workload, Pod pod, List<String> expectedImages) {
        Settled settled = admit(pod);
        Pod mutated = settled.as(Pod.class);

        assertEquals(expectedImages, images(mutated.getSpec()));
        PodSpec expected = withImages(pod.getSpec(), expectedImages);
        assertEquals(expected, mutated.getSpec(), "only the images change");
        Map<String, String> originals = originals(mutated);
        assertEquals(containerNames(pod.getSpec()), List.copyOf(originals.keySet()));
        assertEquals(images(pod.getSpec()), List.copyOf(originals.values()));
    }

    static Stream<Arguments> pullPolicies() {
        return Stream.of(
                // imagePullPolicy, rewritten
                Arguments.of("Always", true),
                Arguments.of("IfNotPresent", true),
                Arguments.of(null, true),
                Arguments.of("Never", false));
    }

    @ParameterizedTest(name = "imagePullPolicy {0}")
    @MethodSource("pullPolicies")
    void rewritesOnlyImagesTheKubeletPulls(String pullPolicy, boolean rewritten) {
        Pod pod = podOf(template(List.of(), List.of(
                new ContainerBuilder(container("api", "shop-api:dev")).withImagePullPolicy(pullPolicy).build(),
                container("proxy", "nginx:1.25"))), "apps/v1", "ReplicaSet");

        Pod mutated = admit(pod).as(Pod.class);

        assertEquals(List.of(rewritten ? HUB + "library/shop-api:dev" : "shop-api:dev", HUB + "library/nginx:1.25"),
                images(mutated.getSpec()));
        assertEquals(rewritten ? List.of("api", "proxy") : List.of("proxy"), List.copyOf(originals(mutated).keySet()));
    }

    @Test
    void rewritesImageVolumesAsTheKubeletPullsThem() {
        Pod pod = podOf(template(List.of(), List.of(container("server", "ghcr.io/shop/inference:1"))), "apps/v1",
                "ReplicaSet");
        pod.getSpec().setVolumes(List.of(
                imageVolume("models", "ghcr.io/shop/models:2024-11", "IfNotPresent"),
                imageVolume("local-models", "ghcr.io/shop/models:dev", "Never"),
                new VolumeBuilder().withName("cache").withNewEmptyDir().endEmptyDir().build()));

        Pod mutated = admit(pod).as(Pod.class);

        assertEquals(GHCR + "shop/models:2024-11", mutated.getSpec().getVolumes().get(0).getImage().getReference());
        assertEquals("IfNotPresent", mutated.getSpec().getVolumes().get(0).getImage().getPullPolicy());
        assertEquals("ghcr.io/shop/models:dev", mutated.getSpec().getVolumes().get(1).getImage().getReference());
        assertEquals(pod.getSpec().getVolumes().get(2), mutated.getSpec().getVolumes().get(2));
        assertEquals(Map.of("server", "ghcr.io/shop/inference:1", "volume/models", "ghcr.io/shop/models:2024-11"),
                originals(mutated));
    }

    @Test
    void leavesTheApiCopyOfAStaticPodAlone() {
        Pod pod = new PodBuilder()
                .withNewMetadata().withName("kube-apiserver-node-1").withNamespace("shop")
                .addToAnnotations(PodHandler.STATIC_POD_ANNOTATION, "3b9a1f0c2e7d4a5b")
                .addToAnnotations("kubernetes.io/config.source", "file")
                .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("v1").withKind("Node").withName("node-1")
                        .withUid("8c1d6f4e-0000-4000-8000-000000000002").withController(true).build())
                .endMetadata()
                .withNewSpec().withContainers(container("kube-apiserver", "registry.k8s.io/kube-apiserver:v1.31.0"))
                .withNodeName("node-1").endSpec()
                .build();

        assertTrue(admit(pod).admission().isEmpty());
    }

    @Test
    void recordsOriginalsOnlyForImagesTheyDescribe() {
        // kubectl debug --copy-to --set-image copies the annotations of the Pod it copies.
        Pod pod = podOf(template(List.of(), List.of(container("web", "busybox:1.36"), container("sidecar",
                "mirror.example.com/dockerhub-mirror/library/envoy:1"))), "apps/v1", "ReplicaSet");
        pod.getMetadata().setAnnotations(Map.of(PodHandler.ORIGINAL_IMAGES_ANNOTATION,
                "{\"web\":\"nginx:1.25\",\"sidecar\":\"envoy:1\",\"gone\":\"redis:7\"}"));

        Pod mutated = admit(pod).as(Pod.class);

        assertEquals(Map.of("web", "busybox:1.36", "sidecar", "envoy:1"), originals(mutated),
                "web is recorded as now written, the sidecar's record still describes it, gone's is dropped");
    }

    @Test
    void removesARecordThatDescribesNoImage() {
        Pod pod = podOf(template(List.of(), List.of(container("tool", "registry.example.org/tools/tool:3"))),
                "apps/v1", "ReplicaSet");
        pod.getMetadata().setAnnotations(Map.of(PodHandler.ORIGINAL_IMAGES_ANNOTATION, "{\"tool\":\"nginx:1.25\"}",
                "team", "shop"));

        Pod mutated = admit(pod).as(Pod.class);

        assertEquals(Map.of("team", "shop", Decisions.ANNOTATION, "{\"tool\":\"unchanged:no-mirror\"}"),
                mutated.getMetadata().getAnnotations());
    }

    @ParameterizedTest(name = "{0} characters after mirroring")
    @MethodSource("io.ocimirror.rewrite.RewriteRuleTest#mirroredNameLengths")
    void rewritesTheOtherImagesWhenOneNameWouldBeTooLong(int mirroredLength, boolean rewritten) {
        String path = "org/" + "a".repeat(mirroredLength - GHCR.length() - 4);
        String mirroredName = GHCR + path;
        assertEquals(mirroredLength, mirroredName.length());
        String image = "ghcr.io/" + path + ":1.0";
        Pod pod = podOf(template(List.of(), List.of(container("build", image), container("proxy", "nginx:1.25"))),
                "batch/v1", "Job");
        int errorsBefore = LOGS.atLeast(Level.SEVERE).size();

        Settled settled = admit(pod);
        Pod mutated = settled.as(Pod.class);

        String build = mutated.getSpec().getContainers().get(0).getImage();
        assertEquals(rewritten ? mirroredName + ":1.0" : image, build);
        assertEquals(HUB + "library/nginx:1.25", mutated.getSpec().getContainers().get(1).getImage());
        List<String> warnings = settled.admission().warnings();
        if (rewritten) {
            assertEquals(List.of(), warnings);
        } else {
            assertEquals(1, warnings.size(), warnings::toString);
            assertTrue(warnings.get(0).contains("its name on the mirror would be longer than 255 characters"),
                    warnings.get(0));
        }
        assertEquals(errorsBefore, LOGS.atLeast(Level.SEVERE).size(), () -> "no ERROR: " + LOGS.atLeast(Level.SEVERE));
    }

    private Settled admit(Pod pod) {
        ObjectNode object = MAPPER.valueToTree(pod);
        return new WebhookClient(url).admitAndResubmit(new WebhookClient(url).review("", "v1", "pods", null, "CREATE",
                "shop", object, null, false));
    }

    private static Volume imageVolume(String name, String reference, String pullPolicy) {
        return new VolumeBuilder().withName(name).withNewImage().withReference(reference).withPullPolicy(pullPolicy)
                .endImage().build();
    }

    private static List<String> images(PodSpec spec) {
        List<String> images = new ArrayList<>();
        spec.getInitContainers().forEach(c -> images.add(c.getImage()));
        spec.getContainers().forEach(c -> images.add(c.getImage()));
        return images;
    }

    private static List<String> containerNames(PodSpec spec) {
        List<String> names = new ArrayList<>();
        spec.getInitContainers().forEach(c -> names.add(c.getName()));
        spec.getContainers().forEach(c -> names.add(c.getName()));
        return names;
    }

    private static PodSpec withImages(PodSpec spec, List<String> images) {
        PodSpec copy = MAPPER.convertValue(spec, PodSpec.class);
        List<Container> all = new ArrayList<>(copy.getInitContainers());
        all.addAll(copy.getContainers());
        for (int i = 0; i < all.size(); i++) {
            all.get(i).setImage(images.get(i));
        }
        return copy;
    }

    private static Map<String, String> originals(Pod pod) {
        String json = pod.getMetadata().getAnnotations().get(PodHandler.ORIGINAL_IMAGES_ANNOTATION);
        try {
            JsonNode tree = MAPPER.readTree(json);
            return MAPPER.convertValue(tree, new TypeReference<LinkedHashMap<String, String>>() { });
        } catch (IOException e) {
            throw new AssertionError("not a JSON object: " + json, e);
        }
    }
}

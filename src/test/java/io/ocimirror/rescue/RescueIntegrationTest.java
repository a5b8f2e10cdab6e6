package io.ocimirror.rescue;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.micrometer.core.instrument.MeterRegistry;
import io.ocimirror.admission.PodHandler;
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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.junit.jupiter.api.Test;

/**
 * The rescue in the running webhook against the fabric8 test API server (not a real kube-apiserver): a Pod created
 * through the admission path whose mirrored image the "kubelet" cannot pull is set back to its original once the
 * grace has passed on the rescue's clock, and the webhook learns not to write that reference again.
 */
@QuarkusTest
@TestProfile(RescueIntegrationTest.RescueOn.class)
@QuarkusTestResource(TestCertificates.class)
@WithKubernetesTestServer(crud = true)
class RescueIntegrationTest {

    private static final String NAMESPACE = "shop";
    private static final String ORIGINAL = "nginx:1.25";
    private static final String MIRRORED = "mirror.example.com/dockerhub-mirror/library/nginx:1.25";
    private static final String HELPER_MIRRORED = "mirror.example.com/dockerhub-mirror/library/busybox:1.36";
    private static final Duration GRACE = Duration.ofSeconds(30);
    private static final Duration LIMIT = Duration.ofSeconds(15);

    public static class RescueOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("oci-mirror.rescue.enabled", "true",
                    "oci-mirror.configmap.namespace", "oci-mirror-system",
                    "oci-mirror.rescue.lease-duration", "3s",
                    "oci-mirror.rescue.lease-renew-deadline", "2s",
                    "oci-mirror.rescue.lease-retry-period", "200ms");
        }

        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(TestRescueTimer.class);
        }
    }

    @KubernetesTestServer
    KubernetesServer server;

    @Inject
    TestRescueTimer timer;

    @Inject
    MeterRegistry meters;

    @Inject
    @Readiness
    RescueReadinessCheck readiness;

    @TestHTTPResource(value = "/", tls = true)
    URL url;

    private final ObjectMapper strict = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    @Test
    void setsAFailingMirroredImageBackOnceAndLearnsFromIt() throws Exception {
        KubernetesClient client = server.getClient();
        Await.until(LIMIT, () -> Boolean.TRUE.equals(data(readiness.call()).get("leading")), "this replica to lead");
        Pod pod = client.resource(admitted("web-1")).create();
        assertEquals(MIRRORED, pod.getSpec().getContainers().get(0).getImage());
        assertEquals("true", pod.getMetadata().getLabels().get(PodHandler.REWRITTEN_LABEL));
        drainRequests();

        kubeletReports(pod, "ErrImagePull", MIRRORED);
        Await.until(LIMIT, () -> timer.waiting() > 0, "the rescue to see the failure and set its timer");
        timer.advance(GRACE.minusSeconds(1));
        kubeletReports(pod, "ImagePullBackOff", MIRRORED);
        timer.runDue();
        assertEquals(MIRRORED, current("web-1").getSpec().getContainers().get(0).getImage(), "within the grace");

        timer.advanceAndRun(Duration.ofSeconds(1));

        Pod rescued = current("web-1");
        assertAll(
                () -> assertEquals(ORIGINAL, rescued.getSpec().getContainers().get(0).getImage()),
                () -> assertEquals(HELPER_MIRRORED, rescued.getSpec().getContainers().get(1).getImage(),
                        "a started container is never touched"),
                () -> assertEquals("{\"web\":\"" + MIRRORED + "\"}",
                        rescued.getMetadata().getAnnotations().get(PullFailureRule.RESCUED_ANNOTATION)),
                () -> assertEquals(1.0, rescues("rescued")));
        Await.until(LIMIT, () -> pullFailedEvents().size() == 1, "the MirrorPullFailed Event");
        Event event = pullFailedEvents().get(0);
        assertAll(
                () -> assertEquals("Warning", event.getType()),
                () -> assertEquals(rescued.getMetadata().getUid(), event.getInvolvedObject().getUid()),
                () -> assertTrue(event.getMessage().contains(MIRRORED) && event.getMessage().contains(ORIGINAL),
                        event.getMessage()));

        // The original fails too: nothing more happens.
        kubeletReports(current("web-1"), "ErrImagePull", ORIGINAL);
        Await.until(LIMIT, () -> "ErrImagePull".equals(waitingReason(current("web-1"))), "the status update");
        timer.advanceAndRun(GRACE.multipliedBy(2));
        kubeletReports(current("web-1"), "ImagePullBackOff", ORIGINAL);
        timer.advanceAndRun(GRACE.multipliedBy(2));
        assertAll(
                () -> assertEquals(1, podPatches(), "exactly one PATCH of the Pod"),
                () -> assertEquals(ORIGINAL, current("web-1").getSpec().getContainers().get(0).getImage()),
                () -> assertEquals(1.0, rescues("rescued")),
                () -> assertEquals(1, pullFailedEvents().size()));

        // The next Pod of that image is not pointed at the mirror that failed it.
        Pod next = admitted("web-2");
        assertAll(
                () -> assertEquals(ORIGINAL, next.getSpec().getContainers().get(0).getImage()),
                () -> assertEquals(HELPER_MIRRORED, next.getSpec().getContainers().get(1).getImage()),
                () -> assertTrue(meters.find("oci_mirror_rewrites_held_back").tag("reason", "pull-failed")
                        .counter().count() >= 1));

        // An UPDATE of the rescued Pod (the rescue's own patch, as the API server would show it) is not rewritten.
        JsonNode rescuedJson = strict.valueToTree(current("web-1"));
        ObjectNode update = webhook().review("", "v1", "pods", null, "UPDATE", NAMESPACE, rescuedJson,
                strict.valueToTree(rescued), false);
        assertTrue(webhook().admit(update).isEmpty());
    }

    /** The Pod as the API server stores it after admission: the webhook's patch applied, read as a typed Pod. */
    private Pod admitted(String name) throws Exception {
        WebhookClient webhook = webhook();
        ObjectNode pod = (ObjectNode) webhook.read("""
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"%s","namespace":"%s","labels":{"app":"web"}},
                 "spec":{"containers":[{"name":"web","image":"%s"},{"name":"helper","image":"busybox:1.36"}]}}
                """.formatted(name, NAMESPACE, ORIGINAL));
        ObjectNode review = webhook.review("", "v1", "pods", null, "CREATE", NAMESPACE, pod, null, false);
        return strict.treeToValue(webhook.admit(review).applyTo(pod), Pod.class);
    }

    /** Writes the status the kubelet would: "web" waiting on a pull, "helper" running. */
    private void kubeletReports(Pod pod, String reason, String image) {
        ContainerStatus web = new ContainerStatusBuilder().withName("web").withImage(image).withImageID("")
                .withReady(false).withRestartCount(0)
                .withNewState().withNewWaiting().withReason(reason)
                .withMessage("Back-off pulling image \"" + image + "\"").endWaiting().endState().build();
        ContainerStatus helper = new ContainerStatusBuilder().withName("helper").withImage(HELPER_MIRRORED)
                .withImageID(HELPER_MIRRORED + "@sha256:0f").withReady(true).withRestartCount(0)
                .withNewState().withNewRunning().withStartedAt("2026-01-01T10:00:00Z").endRunning().endState().build();
        Pod withStatus = new PodBuilder(current(pod.getMetadata().getName())).withNewStatus().withPhase("Pending")
                .withContainerStatuses(helper, web).endStatus().build();
        server.getClient().pods().inNamespace(NAMESPACE).resource(withStatus).updateStatus();
    }

    private Pod current(String name) {
        return server.getClient().pods().inNamespace(NAMESPACE).withName(name).get();
    }

    private static String waitingReason(Pod pod) {
        return pod.getStatus().getContainerStatuses().stream().filter(s -> s.getName().equals("web")).findFirst()
                .map(s -> s.getState().getWaiting().getReason()).orElse("");
    }

    private List<Event> pullFailedEvents() {
        return server.getClient().v1().events().inNamespace(NAMESPACE).list().getItems().stream()
                .filter(e -> RescueReporter.REASON.equals(e.getReason())).toList();
    }

    private double rescues(String outcome) {
        var counter = meters.find(RescueReporter.METRIC).tag("outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }

    private int podPatches() throws InterruptedException {
        int patches = 0;
        RecordedRequest request;
        while ((request = server.getKubernetesMockServer().takeRequest(100, TimeUnit.MILLISECONDS)) != null) {
            if ("PATCH".equals(request.getMethod()) && request.getPath().startsWith("/api/v1/namespaces/"
                    + NAMESPACE + "/pods/")) {
                patches++;
            }
        }
        return patches;
    }

    private void drainRequests() throws InterruptedException {
        while (server.getKubernetesMockServer().takeRequest(10, TimeUnit.MILLISECONDS) != null) {
            // requests made before the failure are not counted
        }
    }

    private WebhookClient webhook() {
        return new WebhookClient(url);
    }

    private static Map<String, Object> data(HealthCheckResponse response) {
        return response.getData().orElse(Map.of());
    }
}

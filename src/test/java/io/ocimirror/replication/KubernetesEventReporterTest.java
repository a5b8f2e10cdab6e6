package io.ocimirror.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ocimirror.reference.ImageReference;
import io.ocimirror.rewrite.ReplicationRequest;
import io.ocimirror.rewrite.ReplicationRequest.ObjectOrigin;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Replication Events are recorded off the worker's thread, dropped and counted when the queue is full. */
class KubernetesEventReporterTest {

    private static final ReplicationRequest REQUEST = new ReplicationRequest(
            ImageReference.of("mirror.example.com", "team/app", Optional.of("1.0"), Optional.empty()), null, null, null,
            Optional.of(new ObjectOrigin("greenhouse.sap/v1alpha1", "PluginDefinition", "", "app")));

    private final CountDownLatch apiServerAnswers = new CountDownLatch(1);
    private final CountDownLatch recording = new CountDownLatch(1);
    private final List<String> recorded = Collections.synchronizedList(new ArrayList<>());
    private KubernetesEventReporter reporter;

    @AfterEach
    void stop() {
        apiServerAnswers.countDown();
        if (reporter != null) {
            reporter.stop();
        }
    }

    /** An API server that answers only when the test lets it. */
    private void slowApiServer(boolean inCluster, int capacity) {
        reporter = new KubernetesEventReporter((involved, type, reason, message) -> {
            recording.countDown();
            recorded.add(Thread.currentThread().getName() + " " + involved.getKind() + " " + reason);
            try {
                apiServerAnswers.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, inCluster, capacity);
    }

    @Test
    void aSlowApiServerDoesNotHoldTheWorker() throws Exception {
        slowApiServer(true, 4);

        reporter.replicated(REQUEST, Optional.empty(), "sha256:" + "a".repeat(64));

        assertTrue(recording.await(1, TimeUnit.SECONDS), "the Event is being recorded");
        assertEquals(List.of("oci-mirror-replication-events PluginDefinition MirrorReplicated"), recorded);
    }

    @Test
    void dropsAndCountsEventsWhenTheQueueIsFull() throws Exception {
        slowApiServer(true, 1);

        reporter.gaveUp(REQUEST, "one");
        assertTrue(recording.await(1, TimeUnit.SECONDS), "the first Event is being recorded");
        reporter.gaveUp(REQUEST, "two, queued");
        reporter.gaveUp(REQUEST, "three, dropped");
        reporter.gaveUp(REQUEST, "four, dropped");

        assertEquals(2, reporter.dropped());
    }

    @Test
    void attemptsNoEventOutsideACluster() throws Exception {
        slowApiServer(false, 4);

        reporter.gaveUp(REQUEST, "no mirror");

        assertTrue(!recording.await(50, TimeUnit.MILLISECONDS) && recorded.isEmpty(), String.valueOf(recorded));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("places")
    void tellsWhetherAnApiServerIsThere(String name, boolean token, boolean kubeconfigInHome,
            Map<String, String> environment, Optional<String> apiServerUrl, boolean expected, @TempDir Path dir)
            throws IOException {
        Path tokenFile = dir.resolve("token");
        if (token) {
            Files.writeString(tokenFile, "token");
        }
        Path home = dir.resolve("home");
        if (kubeconfigInHome) {
            Files.createDirectories(home.resolve(".kube"));
            Files.writeString(home.resolve(".kube").resolve("config"), "apiVersion: v1");
        }

        assertEquals(expected, KubernetesEventReporter.inCluster(tokenFile, home, environment, apiServerUrl));
    }

    static Stream<Arguments> places() {
        return Stream.of(
                Arguments.of("a laptop without kubeconfig", false, false, Map.of(), Optional.empty(), false),
                Arguments.of("an empty KUBECONFIG", false, false, Map.of("KUBECONFIG", ""), Optional.empty(), false),
                Arguments.of("a Pod with a service account token", true, false, Map.of(), Optional.empty(), true),
                Arguments.of("KUBECONFIG set", false, false, Map.of("KUBECONFIG", "/etc/kube.yaml"), Optional.empty(),
                        true),
                Arguments.of("~/.kube/config", false, true, Map.of(), Optional.empty(), true),
                Arguments.of("an API server URL configured", false, false, Map.of(),
                        Optional.of("https://127.0.0.1:6443"), true));
    }
}

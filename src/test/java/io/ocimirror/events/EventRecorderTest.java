package io.ocimirror.events;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.ocimirror.testing.Await;
import io.ocimirror.testing.LogCapture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Events go out on a thread of their own behind a bounded queue (dropped and counted when it is full), and none at
 * all where there is no API server.
 */
class EventRecorderTest {

    private static final ObjectReference PLUGIN_DEFINITION = new ObjectReferenceBuilder()
            .withApiVersion("greenhouse.sap/v1alpha1").withKind("PluginDefinition").withName("app").build();
    private static final ObjectReference POD = new ObjectReferenceBuilder()
            .withApiVersion("v1").withKind("Pod").withNamespace("team").withName("web-1").build();

    private final CountDownLatch apiServerAnswers = new CountDownLatch(1);
    private final CountDownLatch sending = new CountDownLatch(1);
    private final List<String> sendingThreads = new CopyOnWriteArrayList<>();
    private final List<Event> sent = new CopyOnWriteArrayList<>();
    private EventRecorder recorder;

    @AfterEach
    void stop() {
        apiServerAnswers.countDown();
        if (recorder != null) {
            recorder.stop();
        }
    }

    /** An API server that takes each Event only when the test lets it. */
    private void slowApiServer(boolean apiServer, int capacity) {
        recorder = new EventRecorder(event -> {
            sendingThreads.add(Thread.currentThread().getName());
            sending.countDown();
            try {
                assertTrue(apiServerAnswers.await(5, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            sent.add(event);
        }, apiServer, capacity);
    }

    @Test
    void aSlowApiServerDoesNotHoldTheCaller() throws Exception {
        slowApiServer(true, 4);

        recorder.record(PLUGIN_DEFINITION, "Normal", "MirrorReplicated", "warmed");

        assertTrue(sending.await(5, TimeUnit.SECONDS), "the Event is being sent");
        assertEquals(List.of("oci-mirror-events"), sendingThreads);
        assertTrue(sent.isEmpty(), "the caller returned before the API server answered");
    }

    @Test
    void sendsTheEventAsKubernetesRecordersDo() throws Exception {
        slowApiServer(true, 4);
        apiServerAnswers.countDown();
        String longMessage = "x".repeat(2000);

        recorder.record(PLUGIN_DEFINITION, "Warning", "MirrorReplicationFailed", longMessage);
        recorder.record(POD, "Warning", "MirrorPullFailed", "rescued");

        Await.until(Duration.ofSeconds(5), () -> sent.size() == 2, "both Events to be sent");
        Event clusterScoped = sent.get(0);
        Event namespaced = sent.get(1);
        assertAll(
                () -> assertEquals("default", clusterScoped.getMetadata().getNamespace(),
                        "a cluster-scoped object's Event lives in default"),
                () -> assertEquals(1024, clusterScoped.getMessage().length(), "cut to the API server's limit"),
                () -> assertEquals("Warning", clusterScoped.getType()),
                () -> assertEquals("MirrorReplicationFailed", clusterScoped.getReason()),
                () -> assertEquals("oci-mirror-webhook", clusterScoped.getSource().getComponent()),
                () -> assertTrue(clusterScoped.getMetadata().getName().startsWith("app.")),
                () -> assertEquals("team", namespaced.getMetadata().getNamespace()),
                () -> assertEquals(POD, namespaced.getInvolvedObject()));
    }

    @Test
    void dropsAndCountsEventsWhenTheQueueIsFull() throws Exception {
        slowApiServer(true, 1);

        recorder.record(POD, "Warning", "MirrorPullFailed", "one");
        assertTrue(sending.await(5, TimeUnit.SECONDS), "the first Event is being sent");
        recorder.record(POD, "Warning", "MirrorPullFailed", "two, queued");
        recorder.record(POD, "Warning", "MirrorPullFailed", "three, dropped");
        recorder.record(POD, "Warning", "MirrorPullFailed", "four, dropped");

        assertEquals(2, recorder.dropped());
        assertEquals(2, recorder.accepted());
    }

    @Test
    void sendsNothingWithoutAnApiServer() {
        slowApiServer(false, 4);

        recorder.record(PLUGIN_DEFINITION, "Warning", "MirrorReplicationFailed", "no mirror");

        assertEquals(0, recorder.accepted(), "nothing handed to the sending thread");
        assertEquals(0, recorder.dropped());
    }

    @Test
    void saysOnceAtStartThatThereIsNoApiServer() {
        LogCapture logs = LogCapture.install();
        slowApiServer(false, 4);

        recorder.announce(null);
        new EventRecorder(event -> { }, true, 4).announce(null);

        assertEquals(1, logs.containing("No Kubernetes API server").size(), "one line, only without an API server");
    }

    @Test
    void dropsEventsSilentlyOnceStopped() {
        LogCapture logs = LogCapture.install();
        slowApiServer(true, 1);
        recorder.stop();

        recorder.record(POD, "Warning", "MirrorPullFailed", "while stopping");

        assertEquals(0, recorder.dropped());
        assertEquals(List.of(), logs.containing("Event queue"));
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

        assertEquals(expected, EventRecorder.apiServerThere(tokenFile, home, environment, apiServerUrl));
    }

    static Stream<Arguments> places() {
        return Stream.of(
                Arguments.of("a laptop without kubeconfig", false, false, Map.of(), Optional.empty(), false),
                Arguments.of("an empty KUBECONFIG", false, false, Map.of("KUBECONFIG", ""), Optional.empty(), false),
                Arguments.of("an empty API server URL", false, false, Map.of(), Optional.of(" "), false),
                Arguments.of("a Pod with a service account token", true, false, Map.of(), Optional.empty(), true),
                Arguments.of("a Pod without a token", false, false, Map.of("KUBERNETES_SERVICE_HOST", "10.0.0.1"),
                        Optional.empty(), true),
                Arguments.of("KUBECONFIG set", false, false, Map.of("KUBECONFIG", "/etc/kube.yaml"), Optional.empty(),
                        true),
                Arguments.of("~/.kube/config", false, true, Map.of(), Optional.empty(), true),
                Arguments.of("an API server URL configured", false, false, Map.of(),
                        Optional.of("https://127.0.0.1:6443"), true));
    }
}

package io.ocimirror.rescue;

import static io.ocimirror.rescue.RescuePods.MIRRORED;
import static io.ocimirror.rescue.RescuePods.ORIGINAL;
import static io.ocimirror.rescue.RescuePods.failingPod;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.flipkart.zjsonpatch.JsonPatch;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ocimirror.admission.PodHandler;
import io.ocimirror.config.Mirror;
import io.ocimirror.rescue.PodPatcher.PatchResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What a replica does with the verdicts: learns once, patches only while leading and only once, counts conflicts,
 * reports what cannot change, and looks again when a grace ends.
 */
class RescueActionsTest {

    private static final Duration GRACE = Duration.ofSeconds(30);

    private final ObjectMapper mapper = new ObjectMapper();
    private final ManualTimer timer = new ManualTimer(Instant.parse("2026-01-01T10:00:00Z"));
    private final MeterRegistry meters = new SimpleMeterRegistry();
    private final List<String> patches = new ArrayList<>();
    private final List<String> learnt = new ArrayList<>();
    private final List<String> events = new ArrayList<>();
    private boolean leading = true;
    private PatchResult answer = PatchResult.PATCHED;
    private Pod current = failingPod("ErrImagePull");

    private final PullFailureRescue rescue = new PullFailureRescue(
            new PullFailureRule(GRACE, RescuePods.FORMS, mapper), mapper, leadership(), this::patch,
            new RescueReporter(meters, this::event), this::learn, timer, key -> Optional.of(current));

    @Test
    void patchesTheImageBackWhenTheGraceEndsWithoutAnotherEvent() throws Exception {
        rescue.seen(current);
        assertEquals(List.of(), patches, "within the grace");

        current = failingPod("ImagePullBackOff");
        timer.advanceAndRun(GRACE);

        assertEquals(1, patches.size());
        JsonNode patched = JsonPatch.apply(mapper.readTree(patches.get(0)), mapper.valueToTree(current));
        assertAll(
                () -> assertEquals(ORIGINAL, patched.at("/spec/containers/0/image").asText()),
                () -> assertEquals("{\"web\":\"" + MIRRORED + "\"}",
                        patched.at("/metadata/annotations/oci-mirror.io~1rescued").asText()),
                () -> assertEquals(List.of(MIRRORED), learnt),
                () -> assertEquals(1, events.size()),
                () -> assertTrue(events.get(0).contains("Set the image back"), events.get(0)),
                () -> assertEquals(1.0, count("rescued")));
    }

    @Test
    void patchesAContainerOnceAndLearnsOnce() {
        rescue.seen(current);
        timer.advanceAndRun(GRACE);
        rescue.seen(failingPod("ImagePullBackOff"));
        rescue.seen(failingPod("ErrImagePull"));

        assertAll(
                () -> assertEquals(1, patches.size()),
                () -> assertEquals(1, learnt.size()));
    }

    @Test
    void aReplicaThatDoesNotLeadLearnsButDoesNotPatchOrReport() {
        leading = false;

        rescue.seen(current);
        timer.advanceAndRun(GRACE);

        assertAll(
                () -> assertEquals(List.of(), patches),
                () -> assertEquals(List.of(MIRRORED), learnt),
                () -> assertEquals(List.of(), events),
                () -> assertEquals(0.0, count("rescued")));
    }

    @Test
    void aConflictIsCountedAndNotRetried() {
        answer = PatchResult.CONFLICT;

        rescue.seen(current);
        timer.advanceAndRun(GRACE);
        rescue.seen(current);

        assertAll(
                () -> assertEquals(1, patches.size()),
                () -> assertEquals(1.0, count("conflict")),
                () -> assertTrue(events.get(0).contains("changed meanwhile"), events.get(0)));
    }

    @Test
    void aPatchTheApiServerDidNotTakeIsTriedAgainLater() {
        answer = PatchResult.FAILED;
        rescue.seen(current);
        timer.advanceAndRun(GRACE);
        assertEquals(1, patches.size(), "the first try");

        answer = PatchResult.PATCHED;
        timer.advanceAndRun(PullFailureRescue.PATCH_RETRY);

        assertAll(
                () -> assertEquals(2, patches.size(), "tried again after the retry period"),
                () -> assertEquals(1.0, count("rescued")),
                () -> assertEquals(1, learnt.size(), "learnt once"));
    }

    @Test
    void anEphemeralContainerIsReportedNotPatched() {
        current = new PodBuilder(RescuePods.pod().build())
                .editMetadata().addToAnnotations(PodHandler.ORIGINAL_IMAGES_ANNOTATION,
                        "{\"debug\":\"" + ORIGINAL + "\"}").endMetadata()
                .editSpec().withContainers().addNewEphemeralContainer().withName("debug").withImage(MIRRORED)
                .endEphemeralContainer().endSpec()
                .withNewStatus().addToEphemeralContainerStatuses(RescuePods.failing("debug")).endStatus().build();

        rescue.seen(current);
        timer.advanceAndRun(GRACE);
        rescue.seen(current);

        assertAll(
                () -> assertEquals(List.of(), patches),
                () -> assertEquals(List.of(MIRRORED), learnt),
                () -> assertEquals(1.0, count("not-changeable")),
                () -> assertEquals(1, events.size()));
    }

    @Test
    void aDeletedPodIsForgotten() {
        rescue.seen(current);
        rescue.deleted(current);
        timer.advance(GRACE);
        rescue.seen(current);

        assertEquals(List.of(), patches, "the grace starts again for a Pod seen anew");
    }

    @Test
    void cutsALongKubeletMessage() {
        Pod pod = new PodBuilder(current).editStatus().editContainerStatus(0).editState().editWaiting()
                .withMessage("x".repeat(5000)).endWaiting().endState().endContainerStatus().endStatus().build();
        current = pod;

        rescue.seen(pod);
        timer.advanceAndRun(GRACE);

        assertTrue(events.get(0).length() < 600, events.get(0));
    }

    private Leadership leadership() {
        return new Leadership() {
            @Override
            public boolean leading() {
                return leading;
            }

            @Override
            public Optional<String> holder() {
                return Optional.of(leading ? "me" : "other");
            }
        };
    }

    private PatchResult patch(String namespace, String name, String jsonPatch) {
        patches.add(jsonPatch);
        return answer;
    }

    private void learn(Mirror mirror, String reference) {
        learnt.add(reference);
    }

    private void event(ObjectReference involved, String type, String reason, String message) {
        assertAll(
                () -> assertEquals("Pod", involved.getKind()),
                () -> assertEquals("v1", involved.getApiVersion()),
                () -> assertEquals("uid-1", involved.getUid()),
                () -> assertEquals("Warning", type),
                () -> assertEquals(RescueReporter.REASON, reason));
        events.add(message);
    }

    private double count(String outcome) {
        var counter = meters.find(RescueReporter.METRIC).tag("outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }
}

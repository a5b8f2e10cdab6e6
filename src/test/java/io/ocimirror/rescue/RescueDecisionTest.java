package io.ocimirror.rescue;

import static io.ocimirror.rescue.RescuePods.MIRRORED;
import static io.ocimirror.rescue.RescuePods.ORIGINAL;
import static io.ocimirror.rescue.RescuePods.failing;
import static io.ocimirror.rescue.RescuePods.failingPod;
import static io.ocimirror.rescue.RescuePods.pod;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.ocimirror.admission.PodHandler;
import io.ocimirror.rescue.Verdict.Failed;
import io.ocimirror.rescue.Verdict.InGrace;
import io.ocimirror.rescue.Verdict.Left;
import io.ocimirror.rescue.Verdict.Pulling;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The rescue's decision for one image, case by case: a pure function of the Pod, the clock and first failures. */
class RescueDecisionTest {

    private static final Duration GRACE = Duration.ofSeconds(30);
    private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");
    private static final Duration PAST_GRACE = GRACE.plusSeconds(1);

    private final PullFailureRule rule = new PullFailureRule(GRACE, RescuePods.FORMS, new ObjectMapper());

    static Stream<Arguments> cases() {
        return Stream.of(
                // name, the Pod (seen at T0 and again after `elapsed`), elapsed, key, expected verdict
                Arguments.of("failing, past the grace", failingPod("ErrImagePull"), PAST_GRACE, "web",
                        Failed.class),
                Arguments.of("failing, within the grace", failingPod("ErrImagePull"), GRACE.minusSeconds(1), "web",
                        InGrace.class),
                Arguments.of("no status yet", pod().build(), PAST_GRACE, "web", Pulling.class),
                Arguments.of("status without state", withStatus(new ContainerStatusBuilder().withName("web")
                        .build()), PAST_GRACE, "web", Pulling.class),
                Arguments.of("waiting without reason", withStatus(new ContainerStatusBuilder().withName("web")
                        .withNewState().withNewWaiting().endWaiting().endState().build()), PAST_GRACE, "web",
                        Pulling.class),
                Arguments.of("waiting for another reason", withStatus(failing("web", MIRRORED, "ContainerCreating")
                        .build()), PAST_GRACE, "web", Pulling.class),
                Arguments.of("failing, status without image", withStatus(failing("web", null, "ErrImagePull")
                        .build()), PAST_GRACE, "web", Left.class),
                Arguments.of("running", withStatus(failing("web", MIRRORED, "ErrImagePull").editState()
                        .withNewRunning().endRunning().endState().build()), PAST_GRACE, "web", Pulling.class),
                Arguments.of("terminated", withStatus(failing("web", MIRRORED, "ErrImagePull").editState()
                        .withNewTerminated().withExitCode(1).endTerminated().endState().build()), PAST_GRACE,
                        "web", Pulling.class),
                Arguments.of("ran before", withStatus(failing("web", MIRRORED, "ImagePullBackOff")
                        .withNewLastState().withNewTerminated().withExitCode(0).endTerminated().endLastState()
                        .build()), PAST_GRACE, "web", Pulling.class),
                Arguments.of("image ID known", withStatus(failing("web", MIRRORED, "ErrImagePull")
                        .withImageID("docker.io/library/nginx@sha256:0f").build()), PAST_GRACE, "web",
                        Pulling.class),
                Arguments.of("rescued before", edit(failingPod("ErrImagePull"), p -> p.editMetadata()
                        .addToAnnotations(PullFailureRule.RESCUED_ANNOTATION, "{\"web\":\"" + MIRRORED + "\"}")
                        .endMetadata()), PAST_GRACE, "web", Left.class),
                Arguments.of("rescued annotation not JSON", edit(failingPod("ErrImagePull"), p -> p.editMetadata()
                        .addToAnnotations(PullFailureRule.RESCUED_ANNOTATION, "web").endMetadata()), PAST_GRACE,
                        "web", Left.class),
                Arguments.of("image changed meanwhile", edit(failingPod("ErrImagePull"), p -> p.editSpec()
                        .editContainer(0).withImage(ORIGINAL).endContainer().endSpec()), PAST_GRACE, "web",
                        Left.class),
                Arguments.of("original not the rule's source", withOriginals("{\"web\":\"busybox:1.36\"}"),
                        PAST_GRACE, "web", Left.class),
                Arguments.of("originals not JSON", withOriginals("{web: nginx"), PAST_GRACE, "web", Left.class),
                Arguments.of("originals a JSON array", withOriginals("[\"nginx:1.25\"]"), PAST_GRACE, "web",
                        Left.class),
                Arguments.of("originals name another container", withOriginals("{\"api\":\"nginx:1.25\"}"),
                        PAST_GRACE, "web", Left.class),
                Arguments.of("original not a valid reference", withOriginals("{\"web\":\"Foo/Bar:1\"}"),
                        PAST_GRACE, "web", Left.class),
                Arguments.of("original not a string", withOriginals("{\"web\":42}"), PAST_GRACE, "web",
                        Left.class),
                Arguments.of("no annotations", edit(failingPod("ErrImagePull"), p -> p.editMetadata()
                        .withAnnotations(null).endMetadata()), PAST_GRACE, "web", Left.class),
                Arguments.of("status of a renamed container", withStatus(failing("web-old")), PAST_GRACE, "web",
                        Pulling.class),
                Arguments.of("init container", initContainer(false), PAST_GRACE, "migrate", Failed.class),
                Arguments.of("native sidecar", initContainer(true), PAST_GRACE, "migrate", Failed.class),
                Arguments.of("ephemeral container", ephemeralContainer(), PAST_GRACE, "debug", Failed.class),
                Arguments.of("image volume", imageVolume(), PAST_GRACE, "volume/models", Failed.class),
                Arguments.of("container waiting for an image volume", imageVolume(), PAST_GRACE, "web",
                        Pulling.class));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void decides(String name, Pod pod, Duration elapsed, String key, Class<? extends Verdict> expected) {
        FirstFailures failures = new FirstFailures();
        rule.decide(pod, T0, failures);

        Verdict verdict = verdictFor(rule.decide(pod, T0.plus(elapsed), failures), key);

        assertInstanceOf(expected, verdict, verdict.toString());
    }

    @Test
    void theGraceRunsFromTheFirstFailureAcrossFlipsOfTheReason() {
        FirstFailures failures = new FirstFailures();

        rule.decide(failingPod("ErrImagePull"), T0, failures);
        Verdict flipped = verdictFor(rule.decide(failingPod("ImagePullBackOff"), T0.plusSeconds(20), failures), "web");
        Verdict back = verdictFor(rule.decide(failingPod("ErrImagePull"), T0.plus(GRACE), failures), "web");

        assertAll(
                () -> assertEquals(new InGrace("web", T0.plus(GRACE)), flipped),
                () -> assertInstanceOf(Failed.class, back));
    }

    @Test
    void matchesStatusesByNameNotByPosition() {
        Pod pod = pod().editSpec().addNewContainer().withName("api").withImage(MIRRORED).endContainer().endSpec()
                .editMetadata().addToAnnotations(PodHandler.ORIGINAL_IMAGES_ANNOTATION,
                        "{\"web\":\"nginx:1.25\",\"api\":\"nginx:1.25\"}").endMetadata()
                .withNewStatus()
                .addToContainerStatuses(failing("api", MIRRORED, "ErrImagePull").editState().withNewRunning()
                        .endRunning().withWaiting(null).endState().withImageID("sha256:0f").build())
                .addToContainerStatuses(failing("web"))
                .endStatus().build();

        FirstFailures failures = new FirstFailures();
        rule.decide(pod, T0, failures);
        List<Verdict> verdicts = rule.decide(pod, T0.plus(PAST_GRACE), failures);

        assertAll(
                () -> assertInstanceOf(Pulling.class, verdictFor(verdicts, "api")),
                () -> assertInstanceOf(Failed.class, verdictFor(verdicts, "web")));
    }

    @Test
    void onlyContainersAndInitContainersCanChange() {
        FirstFailures failures = new FirstFailures();
        for (Pod pod : List.of(initContainer(true), ephemeralContainer(), imageVolume())) {
            rule.decide(pod, T0, failures);
        }
        assertAll(
                () -> assertEquals(true, failed(initContainer(true), "migrate", failures).changeable()),
                () -> assertEquals(false, failed(ephemeralContainer(), "debug", failures).changeable()),
                () -> assertEquals(false, failed(imageVolume(), "volume/models", failures).changeable()));
    }

    @Test
    void aPodWithNothingButAStatusIsLeftAlone() {
        Pod pod = new PodBuilder().withNewStatus().addToContainerStatuses(failing("web")).endStatus().build();

        assertEquals(List.of(), rule.decide(pod, T0, new FirstFailures()));
        assertEquals(List.of(), rule.decide(new Pod(), T0, new FirstFailures()));
    }

    private Failed failed(Pod pod, String key, FirstFailures failures) {
        return assertInstanceOf(Failed.class, verdictFor(rule.decide(pod, T0.plus(PAST_GRACE), failures), key));
    }

    private static Verdict verdictFor(List<Verdict> verdicts, String key) {
        return verdicts.stream().filter(v -> v.key().equals(key)).findFirst()
                .orElseThrow(() -> new AssertionError("no verdict for " + key + " in " + verdicts));
    }

    private static Pod withStatus(ContainerStatus status) {
        return pod().withNewStatus().addToContainerStatuses(status).endStatus().build();
    }

    private static Pod withOriginals(String json) {
        return edit(failingPod("ErrImagePull"), p -> p.editMetadata()
                .addToAnnotations(PodHandler.ORIGINAL_IMAGES_ANNOTATION, json).endMetadata());
    }

    private static Pod edit(Pod pod, UnaryOperator<PodBuilder> edit) {
        return edit.apply(new PodBuilder(pod)).build();
    }

    private static Pod initContainer(boolean sidecar) {
        return pod()
                .editMetadata().addToAnnotations(PodHandler.ORIGINAL_IMAGES_ANNOTATION,
                        "{\"web\":\"nginx:1.25\",\"migrate\":\"nginx:1.25\"}").endMetadata()
                .editSpec().addNewInitContainer().withName("migrate").withImage(MIRRORED)
                .withRestartPolicy(sidecar ? "Always" : null).endInitContainer().endSpec()
                .withNewStatus().addToInitContainerStatuses(failing("migrate")).endStatus().build();
    }

    private static Pod ephemeralContainer() {
        return pod()
                .editMetadata().addToAnnotations(PodHandler.ORIGINAL_IMAGES_ANNOTATION,
                        "{\"web\":\"nginx:1.25\",\"debug\":\"nginx:1.25\"}").endMetadata()
                .editSpec().addNewEphemeralContainer().withName("debug").withImage(MIRRORED).endEphemeralContainer()
                .endSpec()
                .withNewStatus().addToEphemeralContainerStatuses(failing("debug")).endStatus().build();
    }

    /** The kubelet reports an image volume it cannot pull on the containers, naming the volume's image. */
    private static Pod imageVolume() {
        String volumeImage = "mirror.example.com/hub/library/busybox:1.36";
        return pod()
                .editMetadata().addToAnnotations(PodHandler.ORIGINAL_IMAGES_ANNOTATION,
                        "{\"web\":\"nginx:1.25\",\"volume/models\":\"busybox:1.36\"}").endMetadata()
                .editSpec().addNewVolume().withName("models").withNewImage().withReference(volumeImage).endImage()
                .endVolume().endSpec()
                .withNewStatus().addToContainerStatuses(failing("web", MIRRORED, "ImagePullBackOff")
                        .editState().editWaiting().withMessage("Back-off pulling image \"" + volumeImage + "\"")
                        .endWaiting().endState().build())
                .endStatus().build();
    }
}

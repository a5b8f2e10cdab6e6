package io.ocimirror.rescue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.ocimirror.rescue.Verdict.Failed;
import io.ocimirror.rescue.Verdict.InGrace;
import io.ocimirror.rescue.Verdict.Left;
import io.ocimirror.rewrite.PullFailureFeedback;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Acts on the rule's verdicts for each Pod it is shown. Every replica learns from a failure once the grace has
 * passed (the mirrored reference and its mirror host, through {@link PullFailureFeedback}); only the replica that
 * leads patches the container back to its original, reports it and counts it, at most once per container. An image
 * still in its grace is looked at again when the grace ends, not at the next status change.
 */
final class PullFailureRescue {

    private static final Logger LOG = Logger.getLogger(PullFailureRescue.class);
    /** How long after a patch the API server did not take the container is looked at again. */
    static final Duration PATCH_RETRY = Duration.ofSeconds(10);

    private final PullFailureRule rule;
    private final RescuePatch patches;
    private final Leadership leadership;
    private final PodPatcher patcher;
    private final RescueReporter reporter;
    private final PullFailureFeedback feedback;
    private final RescueTimer timer;
    private final Function<String, Optional<Pod>> currentPod;
    private final FirstFailures firstFailures = new FirstFailures();
    /** Per Pod uid: the image keys learnt from, acted on, and the look-agains scheduled. */
    private final Map<String, Set<String>> learnt = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> handled = new ConcurrentHashMap<>();
    private final Map<String, Set<Instant>> scheduled = new ConcurrentHashMap<>();

    /**
     * @param currentPod the Pod as last seen, by {@code namespace/name}, for a look again when a grace ends
     */
    PullFailureRescue(PullFailureRule rule, ObjectMapper mapper, Leadership leadership, PodPatcher patcher,
            RescueReporter reporter, PullFailureFeedback feedback, RescueTimer timer,
            Function<String, Optional<Pod>> currentPod) {
        this.rule = rule;
        this.patches = new RescuePatch(mapper);
        this.leadership = leadership;
        this.patcher = patcher;
        this.reporter = reporter;
        this.feedback = feedback;
        this.timer = timer;
        this.currentPod = currentPod;
    }

    /** Looks at a Pod as just seen (added, updated, or looked at again). */
    synchronized void seen(Pod pod) {
        Optional<ObjectMeta> metadata = Optional.ofNullable(pod.getMetadata());
        String uid = metadata.map(ObjectMeta::getUid).orElse("");
        if (uid.isEmpty()) {
            return;
        }
        Instant now = timer.now();
        for (Verdict verdict : rule.decide(pod, now, firstFailures)) {
            if (verdict instanceof InGrace inGrace) {
                lookAgain(pod, uid, inGrace.graceEnds(), now);
            } else if (verdict instanceof Failed failed) {
                failed(pod, uid, failed);
            } else if (verdict instanceof Left left) {
                LOG.debugf("Pod %s/%s, %s: left alone, %s", metadata.get().getNamespace(), metadata.get().getName(),
                        left.key(), left.why());
            }
        }
    }

    /** The Pod is gone: forget what was seen of it. */
    synchronized void deleted(Pod pod) {
        Optional.ofNullable(pod.getMetadata()).map(ObjectMeta::getUid).ifPresent(uid -> {
            firstFailures.forget(uid);
            learnt.remove(uid);
            handled.remove(uid);
            scheduled.remove(uid);
        });
    }

    private void lookAgain(Pod pod, String uid, Instant graceEnds, Instant now) {
        if (!scheduled.computeIfAbsent(uid, u -> ConcurrentHashMap.newKeySet()).add(graceEnds)) {
            return;
        }
        String key = pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
        timer.schedule(() -> currentPod.apply(key)
                .filter(current -> current.getMetadata() != null && uid.equals(current.getMetadata().getUid()))
                .ifPresent(this::seen), Duration.between(now, graceEnds));
    }

    private void failed(Pod pod, String uid, Failed failed) {
        if (learnt.computeIfAbsent(uid, u -> ConcurrentHashMap.newKeySet()).add(failed.key())) {
            feedback.pullFailed(failed.form().mirror(), failed.form().reference());
        }
        if (!leadership.leading() || handled.getOrDefault(uid, Set.of()).contains(failed.key())) {
            return;
        }
        if (!failed.changeable()) {
            markHandled(uid, failed);
            reporter.report(pod, failed, RescueOutcome.NOT_CHANGEABLE);
            return;
        }
        Optional<String> patch = patches.of(pod, failed);
        if (patch.isEmpty()) {
            LOG.debugf("Pod %s/%s, %s: no patch can be built", pod.getMetadata().getNamespace(),
                    pod.getMetadata().getName(), failed.key());
            return;
        }
        if (!leadership.leading()) {
            return;
        }
        markHandled(uid, failed);
        switch (patcher.patch(pod.getMetadata().getNamespace(), pod.getMetadata().getName(), patch.get())) {
            case PATCHED -> reporter.report(pod, failed, RescueOutcome.RESCUED);
            case CONFLICT -> reporter.report(pod, failed, RescueOutcome.CONFLICT);
            case FAILED -> {
                // Logged by the patcher (the API server did not answer): try again a little later.
                handled.get(uid).remove(failed.key());
                Instant now = timer.now();
                lookAgain(pod, uid, now.plus(PATCH_RETRY), now);
            }
        }
    }

    private void markHandled(String uid, Failed failed) {
        handled.computeIfAbsent(uid, u -> ConcurrentHashMap.newKeySet()).add(failed.key());
    }
}

/**
 * The pull-failure rescue: after admission, a Pod whose mirrored image the kubelet cannot pull
 * ({@code ErrImagePull} / {@code ImagePullBackOff}) gets that container's image set back to its recorded original,
 * once, after a grace, by the one replica that holds a Lease; every replica learns that the mirrored reference
 * failed.
 *
 * <p>Owns: reading what the kubelet reports ({@link io.ocimirror.rescue.PodImages}), the decision
 * ({@link io.ocimirror.rescue.PullFailureRule}, a pure function of the Pod, the clock and the first failures seen),
 * the patch ({@link io.ocimirror.rescue.RescuePatch}), the controller ({@link io.ocimirror.rescue.PullFailureRescue})
 * and its leader gate ({@link io.ocimirror.rescue.LeaseLeadership}). Every replica reports a failed mirrored
 * reference through {@link io.ocimirror.rewrite.PullFailureFeedback}, the port beside the rewrite gate.
 *
 * <p>May import: {@code reference}, {@code rewrite}, {@code config}, {@code admission} (the annotation and label
 * names of {@code PodHandler}, {@code JsonPatch.escape}, and in the CDI adapter the {@code Rewriter}),
 * {@code greenhouse.MirrorConfigurationRouter}, {@code configstore}, {@code settings} and {@code events}, and
 * fabric8, Jackson, Micrometer, CDI and Quarkus. Nothing here imports {@code replication}, and {@code replication}
 * imports nothing here: {@code replication.MirrorHealth} implements the port.
 */
package io.ocimirror.rescue;

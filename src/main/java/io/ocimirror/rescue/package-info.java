/**
 * The pull-failure rescue: after admission, a Pod whose mirrored image the kubelet cannot pull
 * ({@code ErrImagePull} / {@code ImagePullBackOff}) gets that container's image set back to its recorded original,
 * once, after a grace, by the one replica that holds a Lease; every replica learns that the mirrored reference
 * failed.
 *
 * <p>Owns: reading what the kubelet reports ({@link io.ocimirror.rescue.PodImages}), the decision
 * ({@link io.ocimirror.rescue.PullFailureRule}, a pure function of the Pod, the clock and the first failures seen),
 * the patch ({@link io.ocimirror.rescue.RescuePatch}), the controller ({@link io.ocimirror.rescue.PullFailureRescue})
 * and its leader gate ({@link io.ocimirror.rescue.LeaseLeadership}), and the memory of failed mirrored references
 * that the rewrite gate consults ({@link io.ocimirror.rescue.PullFailedReferences}).
 *
 * <p>May import: {@code reference}, {@code rewrite}, {@code config}, fabric8, and, in the CDI adapters only,
 * {@code admission.Rewriter}, {@code greenhouse.MirrorConfigurationRouter} and {@code events}. Nothing here imports
 * {@code replication}: {@code replication.MirrorHealth} implements {@link io.ocimirror.rescue.PullFailureFeedback}.
 */
package io.ocimirror.rescue;

package io.ocimirror.rewrite;

import io.ocimirror.config.Mirror;

/**
 * Where a replica reports that the kubelet could not pull a mirrored reference, so that rewriting learns from it:
 * that reference is not written into Pods again for a while, and the failure counts against the mirror.
 */
public interface PullFailureFeedback {

    /**
     * @param mirror    the mirror the reference points at
     * @param reference the mirrored reference the kubelet failed to pull, as written in the Pod
     */
    void pullFailed(Mirror mirror, String reference);
}

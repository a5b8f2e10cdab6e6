package io.ocimirror.rescue;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When this replica first saw each image of each Pod fail to pull: the grace runs from there, across the kubelet's
 * flips between {@code ErrImagePull} and {@code ImagePullBackOff}. Forgotten with the Pod.
 */
final class FirstFailures {

    private final Map<String, Map<String, Instant>> byPod = new ConcurrentHashMap<>();

    /**
     * @param podUid the Pod's uid
     * @param key    the image's key in the Pod
     * @param image  the image failing (a new image starts a new count)
     * @param now    the moment it is seen failing
     * @return the first moment it was seen failing: {@code now} the first time
     */
    Instant since(String podUid, String key, String image, Instant now) {
        return byPod.computeIfAbsent(podUid, uid -> new ConcurrentHashMap<>()).computeIfAbsent(key + "\n" + image,
                k -> now);
    }

    void forget(String podUid) {
        byPod.remove(podUid);
    }
}

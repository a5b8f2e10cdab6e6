package io.ocimirror.rescue;

import io.ocimirror.config.Mirror;
import java.util.Optional;

/**
 * What the rewrite rule, under the configuration in force for a namespace, makes of an image as written: the test
 * that a recorded original is really the source of a Pod's current image.
 */
public interface MirroredForms {

    /**
     * One image's mirrored form.
     *
     * @param reference the rewritten reference, as the webhook writes it into Pods
     * @param mirror    the mirror it points at
     */
    record MirroredForm(String reference, Mirror mirror) {
    }

    /**
     * @param namespace the Pod's namespace (it picks the configuration)
     * @param image     an image as written (a recorded original)
     * @return the mirrored form; empty when the rule leaves the image alone, it is not a valid reference, or no
     *         configuration is in force
     */
    Optional<MirroredForm> of(String namespace, String image);
}

package io.ocimirror.rescue;

import io.ocimirror.rescue.MirroredForms.MirroredForm;
import io.ocimirror.rescue.PodImages.PulledImage;
import java.time.Instant;

/** What the rule says about one pulled image of a Pod at one moment. */
sealed interface Verdict {

    /** The key of the image in the Pod's annotations (container name, or {@code volume/<name>}). */
    String key();

    /** Not failing to pull (or never seen failing): nothing to do. */
    record Pulling(String key) implements Verdict {
    }

    /**
     * Failing, or looking so, but not the rescue's to touch.
     *
     * @param why for the DEBUG log
     */
    record Left(String key, String why) implements Verdict {
    }

    /** Failing on its mirrored image since less than the grace: look again at {@code graceEnds}. */
    record InGrace(String key, Instant graceEnds) implements Verdict {
    }

    /**
     * Failing on its mirrored image for the whole grace.
     *
     * @param image    the image and what the kubelet reports
     * @param original the recorded original, of which the current image is the mirrored form
     * @param form     the mirrored form (the current image) and its mirror
     */
    record Failed(PulledImage image, String original, MirroredForm form) implements Verdict {

        @Override
        public String key() {
            return image.key();
        }

        /** Whether the API server lets its image change in place (containers and init containers). */
        boolean changeable() {
            return image.kind().changeable;
        }
    }
}

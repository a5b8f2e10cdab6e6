package io.ocimirror.rescue;

/** What became of a container whose mirrored image failed to pull; the metric's {@code outcome} tag. */
enum RescueOutcome {
    /** Its image was set back to the original. */
    RESCUED("rescued", "Set the image back to the original."),
    /** An ephemeral container or image volume: the API server does not let it change. */
    NOT_CHANGEABLE("not-changeable", "It cannot be changed in place: recreate the Pod to use the original."),
    /** The Pod changed between reading and patching: left as it is. */
    CONFLICT("conflict", "The Pod changed meanwhile; left as it is.");

    final String tag;
    final String done;

    RescueOutcome(String tag, String done) {
        this.tag = tag;
        this.done = done;
    }
}

package io.ocimirror.rescue;

/** Sends a JSON Patch to a Pod. */
interface PodPatcher {

    /** How the API server took a patch. */
    enum PatchResult {
        PATCHED,
        /** A {@code test} failed (422) or the Pod changed under the request (409): it is left as it is now. */
        CONFLICT,
        /** Anything else (gone, forbidden, unreachable); logged, not retried. */
        FAILED
    }

    PatchResult patch(String namespace, String name, String jsonPatch);
}

package io.ocimirror.admission;

import io.ocimirror.config.OwnedConfiguration;
import io.ocimirror.rewrite.RewriteMode;

/** Mutates one kind of object. */
public interface AdmissionHandler {

    /** Whether this handler is responsible for the request's resource, sub-resource and operation. */
    boolean handles(AdmissionRequest request);

    /** A short name for metrics and logs, e.g. {@code pod}. */
    String kind();

    /**
     * The parts of {@code request.object} and {@code request.oldObject} this handler reads itself; the rest of the
     * objects is not in the request it gets, except what {@link ObjectMetadata} reads (its helpers are for every
     * handler).
     */
    JsonSelection reads();

    /** {@link #handle(AdmissionRequest, OwnedConfiguration, RewriteMode)} in {@link RewriteMode#ENFORCE}. */
    default AdmissionOutcome handle(AdmissionRequest request, OwnedConfiguration configuration) {
        return handle(request, configuration, RewriteMode.ENFORCE);
    }

    /**
     * @param configuration the snapshot the object is rewritten with, from admission to the end of its replication,
     *                      and its owner, whose credentials replication presents
     * @param mode          whether rewrites are patched into the object, or only decided and recorded
     * @return the patch, warnings, replication requests and the decision of every reference
     */
    AdmissionOutcome handle(AdmissionRequest request, OwnedConfiguration configuration, RewriteMode mode);
}

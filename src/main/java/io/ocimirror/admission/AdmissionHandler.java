package io.ocimirror.admission;

import io.ocimirror.config.OwnedConfiguration;

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

    /**
     * @param configuration the snapshot the object is rewritten with, from admission to the end of its replication,
     *                      and its owner, whose credentials replication presents
     */
    AdmissionOutcome handle(AdmissionRequest request, OwnedConfiguration configuration);
}

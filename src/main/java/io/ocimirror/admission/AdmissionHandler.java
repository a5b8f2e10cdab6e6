package io.ocimirror.admission;

import io.ocimirror.config.MirrorConfiguration;
import io.ocimirror.rewrite.RewriteGate;

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
     * @param gate decides whether a rewrite may point the object at its mirror now; references it holds back stay
     *             as written and are still replicated
     */
    AdmissionOutcome handle(AdmissionRequest request, MirrorConfiguration configuration, RewriteGate gate);
}

package io.ocimirror.admission;

import io.ocimirror.config.MirrorConfiguration;

/** Mutates one kind of object. */
public interface AdmissionHandler {

    /** Whether this handler is responsible for the request's resource, sub-resource and operation. */
    boolean handles(AdmissionRequest request);

    /** A short name for metrics and logs, e.g. {@code pod}. */
    String kind();

    AdmissionOutcome handle(AdmissionRequest request, MirrorConfiguration configuration);
}

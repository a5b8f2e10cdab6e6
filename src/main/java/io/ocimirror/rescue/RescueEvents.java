package io.ocimirror.rescue;

import io.fabric8.kubernetes.api.model.ObjectReference;

/** Where the rescue records Kubernetes Events ({@code events.EventRecorder::record} in the webhook). */
@FunctionalInterface
interface RescueEvents {

    void record(ObjectReference involved, String type, String reason, String message);
}

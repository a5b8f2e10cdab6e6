package io.ocimirror.configstore;

import io.fabric8.kubernetes.api.model.ObjectReference;
import io.ocimirror.events.EventRecorder;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Records Warning Events about mirror configurations on the objects they come from (the webhook's ConfigMap, a
 * Greenhouse Organization), so that {@code kubectl describe} and {@code kubectl get events} show them.
 */
@ApplicationScoped
public class ConfigurationEvents {

    /** A configuration update that was not applied; the last good one stays in force. */
    public static final String REJECTED = "MirrorConfigurationRejected";
    /** A configuration applied without some of its keys, which this webhook does not know. */
    public static final String KEYS_IGNORED = "MirrorConfigurationKeysIgnored";

    private final EventRecorder events;

    ConfigurationEvents(EventRecorder events) {
        this.events = events;
    }

    /**
     * Creates a Warning Event.
     *
     * @param involved the object the Event is about: apiVersion, kind, name, uid, and a namespace only for a
     *                 namespaced object
     * @param reason   {@link #REJECTED} or {@link #KEYS_IGNORED}
     * @param message  what happened
     */
    public void warning(ObjectReference involved, String reason, String message) {
        events.record(involved, "Warning", reason, message);
    }
}

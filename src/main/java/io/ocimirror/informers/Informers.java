package io.ocimirror.informers;

import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/** The two ways the webhook uses a fabric8 informer: follow an object's latest state, and start without waiting. */
public final class Informers {

    private static final Logger LOG = Logger.getLogger(Informers.class);

    private Informers() {
    }

    /**
     * A handler for watchers that care only about an object's latest state.
     *
     * @param present called with the object as added or as it is after an update (on the informer's thread)
     * @param gone    called with the object's last known state when it is deleted (also when its final state is
     *                unknown because the watch missed the deletion)
     * @return the handler to add to an informer
     */
    public static <T> ResourceEventHandler<T> latestState(Consumer<T> present, Consumer<T> gone) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T object) {
                present.accept(object);
            }

            @Override
            public void onUpdate(T before, T after) {
                present.accept(after);
            }

            @Override
            public void onDelete(T object, boolean finalStateUnknown) {
                gone.accept(object);
            }
        };
    }

    /**
     * Starts an informer and returns at once; fabric8 keeps trying to list and watch, so a start that fails (no RBAC
     * yet, no API server) is a warning naming what is watched, not an error.
     *
     * @param what what the informer watches, for the warning, e.g. {@code "Greenhouse Organizations"}
     */
    public static void start(SharedIndexInformer<?> informer, String what) {
        informer.start().exceptionally(error -> {
            LOG.warnf("Cannot watch %s: %s", what, error.getMessage());
            return null;
        });
    }
}

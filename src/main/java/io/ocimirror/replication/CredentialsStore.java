package io.ocimirror.replication;

import io.ocimirror.config.MirrorConfiguration;
import io.ocimirror.registry.RegistryCredentials;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * The mirror credentials in force: the webhook's own, and each Greenhouse organisation's (by the namespace of its
 * Secret); sources replace them when a Secret or the credentials file changes.
 */
@ApplicationScoped
public class CredentialsStore {

    private static final Logger LOG = Logger.getLogger(CredentialsStore.class);

    private final AtomicReference<RegistryCredentials> current = new AtomicReference<>(RegistryCredentials.NONE);
    private final Map<String, RegistryCredentials> byNamespace = new ConcurrentHashMap<>();

    /** The credentials of the webhook's own configuration. */
    public RegistryCredentials current() {
        return current.get();
    }

    /**
     * The credentials for replication under one snapshot: the webhook's own for its own configuration, the
     * organisation's Secret's for an organisation's snapshot ({@link MirrorConfiguration#secretNamespace()}).
     *
     * @return {@link RegistryCredentials#NONE} when the snapshot names no Secret or its Secret is not read yet
     */
    public RegistryCredentials forConfiguration(MirrorConfiguration configuration) {
        if (configuration.secretNamespace().isEmpty()) {
            return current();
        }
        if (configuration.secretName().isEmpty()) {
            return RegistryCredentials.NONE;
        }
        return byNamespace.getOrDefault(configuration.secretNamespace().get(), RegistryCredentials.NONE);
    }

    public void update(RegistryCredentials credentials, String origin) {
        current.set(credentials);
        LOG.infof("Mirror credentials from %s applied: %s", origin, credentials.describe());
    }

    /** Replaces the credentials of the Secret in {@code namespace} (an organisation's). */
    public void updateNamespace(String namespace, RegistryCredentials credentials, String origin) {
        byNamespace.put(namespace, credentials);
        LOG.infof("Mirror credentials from %s applied: %s", origin, credentials.describe());
    }

    /** Forgets the credentials of {@code namespace}: its organisation names no Secret any more, or is gone. */
    public void removeNamespace(String namespace) {
        if (byNamespace.remove(namespace) != null) {
            LOG.infof("Mirror credentials of namespace %s removed", namespace);
        }
    }
}

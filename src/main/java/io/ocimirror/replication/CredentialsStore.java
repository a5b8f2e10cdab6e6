package io.ocimirror.replication;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/** The mirror credentials in force; sources replace them when the Secret or file changes. */
@ApplicationScoped
public class CredentialsStore {

    private static final Logger LOG = Logger.getLogger(CredentialsStore.class);

    private final AtomicReference<RegistryCredentials> current = new AtomicReference<>(RegistryCredentials.NONE);

    public RegistryCredentials current() {
        return current.get();
    }

    public void update(RegistryCredentials credentials, String origin) {
        current.set(credentials);
        LOG.infof("Mirror credentials from %s applied: %s", origin, credentials.describe());
    }
}

package io.ocimirror.replication;

import io.ocimirror.config.Mirror;
import io.ocimirror.config.MirrorConfiguration;
import io.ocimirror.config.WebhookSettings;
import io.ocimirror.registry.RegistryAccess;
import io.ocimirror.registry.RegistryAccessException;
import io.ocimirror.registry.RegistryAccessFactory;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * The registry clients of replication: a {@link RegistryAccessFactory} built from the webhook's settings, closed at
 * shutdown, and asked for a mirror's replication host with the credential of the snapshot that names the mirror. Only
 * hosts from the mirror configuration reach here: a reference cannot name the host replication contacts.
 */
@ApplicationScoped
public class RegistryClients {

    private final RegistryAccessFactory factory;
    private final CredentialsStore credentials;

    @Inject
    public RegistryClients(WebhookSettings settings, CredentialsStore credentials) {
        this(new RegistryAccessFactory(settings.replication().connectTimeout(), settings.replication().timeout(),
                System::nanoTime), credentials);
    }

    RegistryClients(RegistryAccessFactory factory, CredentialsStore credentials) {
        this.factory = factory;
        this.credentials = credentials;
    }

    /**
     * @param configuration the snapshot that names the mirror: its credentials are used
     * @return the access to the mirror's replication host, over plain HTTP when the mirror is {@code insecure}
     */
    public RegistryAccess forMirror(Mirror mirror, MirrorConfiguration configuration) throws RegistryAccessException {
        return factory.access(endpoint(mirror),
                credentials.forConfiguration(configuration).forHost(mirror.replicationHost()));
    }

    static RegistryAccessFactory.Endpoint endpoint(Mirror mirror) {
        return new RegistryAccessFactory.Endpoint(mirror.replicationHost(), mirror.insecure(), mirror.caFile(),
                mirror.stopBlobReadsEarly());
    }

    void stop(@Observes ShutdownEvent event) {
        factory.close();
    }
}

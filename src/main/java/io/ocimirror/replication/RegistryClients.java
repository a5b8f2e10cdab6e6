package io.ocimirror.replication;

import io.ocimirror.config.ConfigurationOwner;
import io.ocimirror.config.Mirror;
import io.ocimirror.configstore.ConfigurationStore;
import io.ocimirror.registry.RegistryAccess;
import io.ocimirror.registry.RegistryAccessException;
import io.ocimirror.registry.RegistryAccessFactory;
import io.ocimirror.settings.WebhookSettings;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * The registry clients of replication: a {@link RegistryAccessFactory} built from the webhook's settings, closed at
 * shutdown, and asked for a mirror's replication host with the credential of the configuration's owner. Only
 * hosts from the mirror configuration reach here: a reference cannot name the host replication contacts.
 */
@ApplicationScoped
public class RegistryClients {

    private final RegistryAccessFactory factory;
    private final ConfigurationStore credentials;

    @Inject
    public RegistryClients(WebhookSettings settings, ConfigurationStore credentials) {
        this(new RegistryAccessFactory(settings.replication().connectTimeout(), settings.replication().timeout(),
                System::nanoTime), credentials);
    }

    RegistryClients(RegistryAccessFactory factory, ConfigurationStore credentials) {
        this.factory = factory;
        this.credentials = credentials;
    }

    /**
     * @param owner whose configuration names the mirror: its credentials are presented
     * @return the access to the mirror's replication host, over plain HTTP when the mirror is {@code insecure}
     * @throws RegistryAccessException when the mirror's {@code caFile} cannot be read or holds no certificate
     */
    public RegistryAccess forMirror(Mirror mirror, ConfigurationOwner owner) throws RegistryAccessException {
        return factory.access(endpoint(mirror), credentials.credentials(owner).forHost(mirror.replicationHost()));
    }

    static RegistryAccessFactory.Endpoint endpoint(Mirror mirror) {
        return new RegistryAccessFactory.Endpoint(mirror.replicationHost(), mirror.insecure(), mirror.caFile(),
                mirror.stopBlobReadsEarly());
    }

    void stop(@Observes ShutdownEvent event) {
        factory.close();
    }
}

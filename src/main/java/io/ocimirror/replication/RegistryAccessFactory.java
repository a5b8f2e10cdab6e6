package io.ocimirror.replication;

import com.google.cloud.tools.jib.api.Credential;
import com.google.cloud.tools.jib.global.JibSystemProperties;
import io.ocimirror.config.Mirror;
import io.ocimirror.config.MirrorConfiguration;
import io.ocimirror.config.WebhookSettings;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Hands out one {@link RegistryAccess} per mirror replication host, insecure flag and credential, so clients (and
 * their tokens and connections) are reused, and a rotated credential gets a fresh client. Only hosts from the mirror
 * configuration reach here: a reference cannot name the host replication contacts.
 */
@ApplicationScoped
public class RegistryAccessFactory {

    private static final int MAX_CACHED_HOSTS = 64;

    private final CredentialsStore credentials;
    private final Map<Key, RegistryAccess> accesses = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, RegistryAccess> eldest) {
            return size() > MAX_CACHED_HOSTS;
        }
    };

    private record Key(String host, boolean insecure, Optional<RegistryCredential> credential) {
    }

    public RegistryAccessFactory(WebhookSettings settings, CredentialsStore credentials) {
        this.credentials = credentials;
        // jib-core reads its connect and read timeout only from this JVM-wide system property.
        System.setProperty(JibSystemProperties.HTTP_TIMEOUT,
                String.valueOf(settings.replication().timeout().toMillis()));
    }

    /** The access to {@code mirror}'s replication host with the credentials of the snapshot that names it. */
    public synchronized RegistryAccess forMirror(Mirror mirror, MirrorConfiguration configuration) {
        Key key = new Key(mirror.replicationHost(), mirror.insecure(),
                credentials.forConfiguration(configuration).forHost(mirror.replicationHost()));
        return accesses.computeIfAbsent(key, k -> new JibRegistryAccess(k.host(), k.insecure(),
                k.credential().map(c -> Credential.from(c.username(), c.password()))));
    }
}

package io.ocimirror.replication;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.ocimirror.config.Mirror;
import io.ocimirror.config.MirrorConfiguration;
import io.ocimirror.config.WebhookSettings;
import io.ocimirror.replication.RegistryAccessException.Failure;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.LongSupplier;
import javax.net.ssl.SSLContext;

/**
 * Hands out the {@link RegistryAccess} of a mirror: one HTTP client per replication host, scheme and CA bundle
 * (re-made when the bundle's file changes, as a mounted ConfigMap or Secret does), one access per client and
 * credential, so connections and tokens are reused and a rotated credential gets a fresh access. Only hosts from the
 * mirror configuration reach here: a reference cannot name the host replication contacts.
 */
@ApplicationScoped
public class RegistryAccessFactory {

    /** Far more than a configuration names; evicted clients close their idle connections once unreachable. */
    static final int MAX_CACHED_CLIENTS = 64;
    static final int MAX_CACHED_ACCESSES = 256;
    /** A dead mirror fails many calls a second; one log line per host per this interval says so. */
    static final Duration FAILURE_LOG_INTERVAL = Duration.ofSeconds(30);

    private final CredentialsStore credentials;
    private final Duration connectTimeout;
    private final HttpRegistryAccess.Limits limits;
    private final FailureLog failures;
    private final ManifestReader manifests = new ManifestReader();
    private final ObjectMapper json = new ObjectMapper();
    private final Cache<ClientKey, HttpClient> clients =
            Caffeine.newBuilder().maximumSize(MAX_CACHED_CLIENTS).build();
    private final Cache<AccessKey, RegistryAccess> accesses =
            Caffeine.newBuilder().maximumSize(MAX_CACHED_ACCESSES).build();
    private final ScheduledExecutorService watchdog;

    /** A CA bundle's identity includes its modification time and size, so a changed file makes a new client. */
    private record ClientKey(String host, boolean plainHttp, Optional<Path> caFile, long caModified, long caSize) {
    }

    private record AccessKey(ClientKey client, Optional<RegistryCredential> credential, boolean stopBlobReadsEarly) {
    }

    @Inject
    public RegistryAccessFactory(WebhookSettings settings, CredentialsStore credentials) {
        this(settings.replication().connectTimeout(), settings.replication().timeout(), credentials,
                System::nanoTime);
    }

    RegistryAccessFactory(Duration connectTimeout, Duration readTimeout, CredentialsStore credentials,
            LongSupplier nanoClock) {
        this.credentials = credentials;
        this.connectTimeout = connectTimeout;
        this.watchdog = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "replication-read-timeout");
            thread.setDaemon(true);
            return thread;
        });
        this.limits = new HttpRegistryAccess.Limits(readTimeout, watchdog, nanoClock);
        this.failures = new FailureLog(FAILURE_LOG_INTERVAL, nanoClock);
    }

    /**
     * @param configuration the snapshot that names the mirror: its credentials are used
     * @return the access to the mirror's replication host, over plain HTTP when the mirror is {@code insecure},
     *     else over verified HTTPS trusting the JVM's CAs and the mirror's {@code caFile}
     * @throws RegistryAccessException {@link Failure#UNSUPPORTED} when the {@code caFile} cannot be read or holds no
     *                                 certificate
     */
    public RegistryAccess forMirror(Mirror mirror, MirrorConfiguration configuration) throws RegistryAccessException {
        ClientKey client = clientKey(mirror);
        AccessKey key = new AccessKey(client,
                credentials.forConfiguration(configuration).forHost(mirror.replicationHost()),
                mirror.stopBlobReadsEarly());
        RegistryAccess access = accesses.getIfPresent(key);
        if (access != null) {
            return access;
        }
        HttpClient http = clients.getIfPresent(client);
        if (http == null) {
            http = newClient(client);
            clients.put(client, http);
        }
        access = new HttpRegistryAccess(client.host(), client.plainHttp(), http, key.credential(),
                key.stopBlobReadsEarly(), limits, manifests, json, failures);
        accesses.put(key, access);
        return access;
    }

    private ClientKey clientKey(Mirror mirror) throws RegistryAccessException {
        if (mirror.insecure() || mirror.caFile().isEmpty()) {
            return new ClientKey(mirror.replicationHost(), mirror.insecure(), Optional.empty(), 0, 0);
        }
        Path caFile = mirror.caFile().get();
        try {
            BasicFileAttributes attributes = Files.readAttributes(caFile, BasicFileAttributes.class);
            return new ClientKey(mirror.replicationHost(), false, mirror.caFile(),
                    attributes.lastModifiedTime().toMillis(), attributes.size());
        } catch (IOException e) {
            throw new RegistryAccessException(Failure.UNSUPPORTED, "caFile " + caFile + " of mirror "
                    + mirror.replicationHost() + " cannot be read: " + e);
        }
    }

    private HttpClient newClient(ClientKey key) throws RegistryAccessException {
        HttpClient.Builder builder = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1);
        if (!key.plainHttp()) {
            try {
                SSLContext context = MirrorTrust.context(key.caFile());
                builder.sslContext(context);
            } catch (IOException | GeneralSecurityException e) {
                throw new RegistryAccessException(Failure.UNSUPPORTED, "caFile " + key.caFile().orElseThrow()
                        + " of mirror " + key.host() + " is not a PEM bundle of certificates: " + e.getMessage());
            }
        }
        return builder.build();
    }

    void stop(@Observes ShutdownEvent event) {
        watchdog.shutdownNow();
    }
}

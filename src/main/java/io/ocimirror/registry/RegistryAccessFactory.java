package io.ocimirror.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.ocimirror.registry.RegistryAccessException.Failure;
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
 * Hands out the {@link RegistryAccess} of a registry host: one HTTP client per host, scheme and CA bundle (re-made
 * when the bundle's file changes, as a mounted ConfigMap or Secret does), one access per client and credential, so
 * connections and tokens are reused and a rotated credential gets a fresh access. Its settings are fixed at
 * construction; {@link #close()} stops the read-timeout watchdog.
 */
public final class RegistryAccessFactory implements AutoCloseable {

    /** Far more than a configuration names; evicted clients close their idle connections once unreachable. */
    static final int MAX_CACHED_CLIENTS = 64;
    static final int MAX_CACHED_ACCESSES = 256;
    /** A dead mirror fails many calls a second; one log line per host per this interval says so. */
    static final Duration FAILURE_LOG_INTERVAL = Duration.ofSeconds(30);

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

    /**
     * Where and how to reach one registry host.
     *
     * @param host               {@code host[:port]}
     * @param plainHttp          talk plain HTTP (a mirror with {@code insecure: true}); else HTTPS, verified
     * @param caFile             a PEM bundle of CA certificates trusted besides the JVM's defaults; ignored for plain
     *                           HTTP
     * @param stopBlobReadsEarly close a blob's 2xx answer without reading its body
     */
    public record Endpoint(String host, boolean plainHttp, Optional<Path> caFile, boolean stopBlobReadsEarly) {
    }

    /** A CA bundle's identity includes its modification time and size, so a changed file makes a new client. */
    private record ClientKey(String host, boolean plainHttp, Optional<Path> caFile, long caModified, long caSize) {
    }

    private record AccessKey(ClientKey client, Optional<RegistryCredential> credential, boolean stopBlobReadsEarly) {
    }

    /**
     * @param connectTimeout bounds each TCP connection
     * @param readTimeout    bounds the wait for an answer's headers and every pause in its body
     * @param nanoClock      the clock of token expiry, read timeouts and the failure log
     */
    public RegistryAccessFactory(Duration connectTimeout, Duration readTimeout, LongSupplier nanoClock) {
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
     * @param credential presented to the host when it asks for one
     * @return the access to the endpoint's host, over plain HTTP when it says so, else over verified HTTPS trusting
     *     the JVM's CAs and the endpoint's {@code caFile}
     * @throws RegistryAccessException {@link Failure#UNSUPPORTED} when the {@code caFile} cannot be read or holds no
     *                                 certificate
     */
    public RegistryAccess access(Endpoint endpoint, Optional<RegistryCredential> credential)
            throws RegistryAccessException {
        ClientKey client = clientKey(endpoint);
        AccessKey key = new AccessKey(client, credential, endpoint.stopBlobReadsEarly());
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

    private static ClientKey clientKey(Endpoint endpoint) throws RegistryAccessException {
        if (endpoint.plainHttp() || endpoint.caFile().isEmpty()) {
            return new ClientKey(endpoint.host(), endpoint.plainHttp(), Optional.empty(), 0, 0);
        }
        Path caFile = endpoint.caFile().get();
        try {
            BasicFileAttributes attributes = Files.readAttributes(caFile, BasicFileAttributes.class);
            return new ClientKey(endpoint.host(), false, endpoint.caFile(),
                    attributes.lastModifiedTime().toMillis(), attributes.size());
        } catch (IOException e) {
            throw new RegistryAccessException(Failure.UNSUPPORTED, "caFile " + caFile + " of mirror "
                    + endpoint.host() + " cannot be read: " + e);
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

    /** Stops the read-timeout watchdog: calls in flight lose their read timeout, so close after they ended. */
    @Override
    public void close() {
        watchdog.shutdownNow();
    }
}

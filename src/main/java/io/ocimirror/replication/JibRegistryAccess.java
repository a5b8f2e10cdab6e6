package io.ocimirror.replication;

import com.google.cloud.tools.jib.api.Credential;
import com.google.cloud.tools.jib.api.DescriptorDigest;
import com.google.cloud.tools.jib.api.RegistryException;
import com.google.cloud.tools.jib.api.RegistryUnauthorizedException;
import com.google.cloud.tools.jib.blob.BlobDescriptor;
import com.google.cloud.tools.jib.event.EventHandlers;
import com.google.cloud.tools.jib.http.FailoverHttpClient;
import com.google.cloud.tools.jib.http.ResponseException;
import com.google.cloud.tools.jib.image.json.BuildableManifestTemplate;
import com.google.cloud.tools.jib.image.json.ManifestTemplate;
import com.google.cloud.tools.jib.image.json.OciIndexTemplate;
import com.google.cloud.tools.jib.image.json.V22ManifestListTemplate;
import com.google.cloud.tools.jib.registry.ManifestAndDigest;
import com.google.cloud.tools.jib.registry.RegistryClient;
import io.ocimirror.replication.RegistryAccessException.Failure;
import java.io.IOException;
import java.io.OutputStream;
import java.security.DigestException;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * {@link RegistryAccess} through jib-core's {@link RegistryClient}, which does the distribution protocol: the four
 * manifest Accept types, anonymous, Basic and Bearer token auth (WWW-Authenticate realm/service/scope, refreshed on
 * 401), and blob digest checks. One instance serves one host with one credential.
 *
 * <p>jib-core's index templates carry no platform variant, so children are reported without one (and match every
 * variant of their architecture). Its HTTP timeout is the JVM-wide {@code jib.httpTimeout} system property, set by
 * {@link RegistryAccessFactory}.
 */
final class JibRegistryAccess implements RegistryAccess {

    /** Clients hold a repository-scoped token; a mirror serves many repositories, so keep the recent ones. */
    private static final int MAX_CACHED_CLIENTS = 256;
    private static final String USER_AGENT = "oci-mirror-webhook";

    private final String host;
    private final Optional<Credential> credential;
    private final FailoverHttpClient http;
    private final Map<String, RegistryClient> clients = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, RegistryClient> eldest) {
            return size() > MAX_CACHED_CLIENTS;
        }
    };

    /**
     * @param insecure allow plain HTTP (and unverified TLS), and send credentials over it: only for mirrors the
     *                 configuration marks {@code insecure: true}
     */
    JibRegistryAccess(String host, boolean insecure, Optional<Credential> credential) {
        this.host = host;
        this.credential = credential;
        this.http = new FailoverHttpClient(insecure, insecure, event -> { });
    }

    @Override
    public Manifest manifest(String repository, String reference) throws RegistryAccessException {
        String what = "manifest " + host + "/" + repository + ":" + reference;
        try {
            ManifestAndDigest<ManifestTemplate> pulled = client(repository).pullManifest(reference);
            return toManifest(pulled.getDigest().toString(), pulled.getManifest(), what);
        } catch (IOException | RegistryException e) {
            throw failure(what, e);
        }
    }

    @Override
    public long blob(String repository, String digest) throws RegistryAccessException {
        String what = "blob " + host + "/" + repository + "@" + digest;
        try {
            DescriptorDigest expected = DescriptorDigest.fromDigest(digest);
            BlobDescriptor fetched = client(repository).pullBlob(expected, size -> { }, written -> { })
                    .writeTo(OutputStream.nullOutputStream());
            if (!fetched.getDigest().equals(expected)) {
                throw new RegistryAccessException(Failure.INVALID_CONTENT, what + ": content has digest "
                        + fetched.getDigest());
            }
            return fetched.getSize();
        } catch (DigestException e) {
            throw new RegistryAccessException(Failure.UNSUPPORTED, what + ": not a sha256 digest");
        } catch (IOException | RegistryException e) {
            throw failure(what, e);
        }
    }

    private synchronized RegistryClient client(String repository) throws IOException, RegistryException {
        RegistryClient client = clients.get(repository);
        if (client == null) {
            RegistryClient.Factory factory = RegistryClient.factory(EventHandlers.NONE, host, repository, http)
                    .setUserAgent(USER_AGENT);
            credential.ifPresent(factory::setCredential);
            client = factory.newRegistryClient();
            // Registries that answer with a Bearer challenge want a token even for anonymous pulls.
            if (!client.doPullBearerAuth() && credential.isPresent()) {
                client.configureBasicAuth();
            }
            clients.put(repository, client);
        }
        return client;
    }

    private static Manifest toManifest(String digest, ManifestTemplate template, String what)
            throws RegistryAccessException {
        List<Manifest.Child> children = new ArrayList<>();
        List<String> blobs = new ArrayList<>();
        if (template instanceof OciIndexTemplate index) {
            for (OciIndexTemplate.ManifestDescriptorTemplate entry : index.getManifests()) {
                var platform = entry.getPlatform();
                children.add(new Manifest.Child(entry.getDigest().toString(),
                        platform == null ? "" : nonNull(platform.getOs()),
                        platform == null ? "" : nonNull(platform.getArchitecture()), ""));
            }
        } else if (template instanceof V22ManifestListTemplate list) {
            for (V22ManifestListTemplate.ManifestDescriptorTemplate entry : list.getManifests()) {
                var platform = entry.getPlatform();
                children.add(new Manifest.Child(entry.getDigest(),
                        platform == null ? "" : nonNull(platform.getOs()),
                        platform == null ? "" : nonNull(platform.getArchitecture()), ""));
            }
        } else if (template instanceof BuildableManifestTemplate image) {
            if (image.getContainerConfiguration() != null) {
                blobs.add(image.getContainerConfiguration().getDigest().toString());
            }
            image.getLayers().forEach(layer -> blobs.add(layer.getDigest().toString()));
        } else {
            throw new RegistryAccessException(Failure.UNSUPPORTED,
                    what + ": schema 1 manifest (the mirror ignored the Accept header)");
        }
        return new Manifest(digest, List.copyOf(children), List.copyOf(blobs));
    }

    /** Maps jib-core's exceptions, whose messages hold URLs but never credentials, to what replication needs. */
    private static RegistryAccessException failure(String what, Exception error) {
        if (error instanceof RegistryUnauthorizedException) {
            return new RegistryAccessException(Failure.UNAUTHORIZED, what + ": unauthorized", error);
        }
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof GeneralSecurityException || cause instanceof SSLException) {
                return new RegistryAccessException(Failure.UNAVAILABLE, what + ": TLS failed: " + cause.getMessage(),
                        error);
            }
            if (cause instanceof ResponseException response) {
                int status = response.getStatusCode();
                Failure failure = status == 401 || status == 403 ? Failure.UNAUTHORIZED
                        : status == 404 ? Failure.NOT_FOUND
                        : Failure.UNAVAILABLE;
                return new RegistryAccessException(failure, what + ": HTTP " + status, error);
            }
        }
        return new RegistryAccessException(Failure.UNAVAILABLE, what + ": " + error.getMessage(), error);
    }

    private static String nonNull(String value) {
        return value == null ? "" : value;
    }
}

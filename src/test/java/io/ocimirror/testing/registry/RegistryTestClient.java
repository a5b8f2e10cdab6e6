package io.ocimirror.testing.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * A small client of the distribution HTTP API for tests: manifest and blob GET/HEAD for assertions, and blob upload
 * and manifest PUT for pushing test content. With credentials it sends them as Basic, and answers a Bearer
 * challenge by fetching a token from the realm with those credentials and retrying once. Without credentials every
 * answer, 401 included, comes back as it is.
 */
public final class RegistryTestClient {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final URI baseUrl;
    private final Optional<Credentials> credentials;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper();

    private RegistryTestClient(URI baseUrl, Optional<Credentials> credentials, HttpClient http) {
        this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
        this.credentials = credentials;
        this.http = http;
    }

    /**
     * A client without credentials for the registry at {@code baseUrl} (e.g. {@code http://127.0.0.1:5000}). Each
     * call makes an HTTP client with its own connection pool and selector thread: make one per registry and derive
     * the others with {@link #withCredentials}.
     */
    public static RegistryTestClient anonymous(URI baseUrl) {
        return new RegistryTestClient(baseUrl, Optional.empty(), HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build());
    }

    /** A client without credentials for a registry that serves HTTPS with a certificate {@code trust} accepts. */
    public static RegistryTestClient anonymous(URI baseUrl, SSLContext trust) {
        return new RegistryTestClient(baseUrl, Optional.empty(), HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .sslContext(trust)
                .build());
    }

    /** The same registry with these credentials. */
    public RegistryTestClient withCredentials(Credentials newCredentials) {
        return new RegistryTestClient(baseUrl, Optional.of(newCredentials), http);
    }

    /** The same registry without credentials. */
    public RegistryTestClient withoutCredentials() {
        return new RegistryTestClient(baseUrl, Optional.empty(), http);
    }

    public URI baseUrl() {
        return baseUrl;
    }

    /** {@code GET /v2/}: the API version check, 200 or 401. */
    public RegistryResponse ping() {
        return send("GET", "/v2/", Map.of(), null);
    }

    /** {@code GET /v2/} without credentials, waiting at most {@code timeout}: a readiness probe. */
    RegistryResponse ping(Duration timeout) throws IOException, InterruptedException {
        URI uri = baseUrl.resolve("/v2/");
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(uri).timeout(timeout).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        return new RegistryResponse("GET", uri, response.statusCode(), response.headers(), response.body());
    }

    /** GET a manifest by tag or digest, accepting all four manifest types ({@link MediaTypes#ALL_MANIFESTS}). */
    public RegistryResponse getManifest(String repository, String reference) {
        return getManifest(repository, reference, MediaTypes.ALL_MANIFESTS);
    }

    /** GET a manifest by tag or digest with exactly this Accept list (empty: no Accept header). */
    public RegistryResponse getManifest(String repository, String reference, List<String> accept) {
        return send("GET", manifestPath(repository, reference), acceptHeader(accept), null);
    }

    /** HEAD a manifest by tag or digest, accepting all four manifest types. */
    public RegistryResponse headManifest(String repository, String reference) {
        return send("HEAD", manifestPath(repository, reference), acceptHeader(MediaTypes.ALL_MANIFESTS), null);
    }

    public RegistryResponse getBlob(String repository, String digest) {
        return send("GET", blobPath(repository, digest), Map.of(), null);
    }

    public RegistryResponse headBlob(String repository, String digest) {
        return send("HEAD", blobPath(repository, digest), Map.of(), null);
    }

    /**
     * Upload a blob in one piece (monolithic upload: POST to start, PUT with the digest) unless the registry
     * already has it in this repository.
     *
     * @return the blob's descriptor
     */
    public Descriptor pushBlob(String repository, String mediaType, byte[] content) {
        Descriptor descriptor = Descriptor.of(mediaType, content);
        if (headBlob(repository, descriptor.digest()).status() == 200) {
            return descriptor;
        }
        RegistryResponse started = send("POST", "/v2/" + repository + "/blobs/uploads/", Map.of(), new byte[0]);
        expectStatus(started, 202);
        String location = started.header("Location")
                .orElseThrow(() -> new IllegalStateException("upload started without a Location: " + started));
        String target = location + (location.contains("?") ? "&" : "?") + "digest=" + descriptor.digest();
        RegistryResponse finished = send("PUT", target, Map.of("Content-Type", "application/octet-stream"), content);
        expectStatus(finished, 201);
        return descriptor;
    }

    /**
     * PUT a manifest under a tag or its digest, with {@code mediaType} as Content-Type.
     *
     * @return the manifest's descriptor (digest of exactly these bytes)
     */
    public Descriptor pushManifest(String repository, String reference, String mediaType, byte[] manifest) {
        Descriptor descriptor = Descriptor.of(mediaType, manifest);
        RegistryResponse response = send("PUT", manifestPath(repository, reference),
                Map.of("Content-Type", mediaType), manifest);
        expectStatus(response, 201);
        String claimed = response.dockerContentDigest().orElse(descriptor.digest());
        if (!claimed.equals(descriptor.digest())) {
            throw new IllegalStateException("registry stored " + claimed + " for a manifest with digest "
                    + descriptor.digest());
        }
        return descriptor;
    }

    /**
     * Fetch a token for a Bearer challenge with this client's credentials (GET realm?service=&scope= with Basic).
     *
     * @return the {@code token} (or {@code access_token}) of the answer
     */
    public String fetchToken(BearerChallenge challenge) {
        Map<String, String> headers = credentials.map(c -> Map.of("Authorization", c.basicHeader())).orElse(Map.of());
        RegistryResponse response = exchange("GET", challenge.tokenUri(), headers, null);
        expectStatus(response, 200);
        try {
            JsonNode body = json.readTree(response.body());
            JsonNode token = body.hasNonNull("token") ? body.get("token") : body.get("access_token");
            if (token == null || !token.isTextual()) {
                throw new IllegalStateException("token answer without a token: " + response);
            }
            return token.asText();
        } catch (IOException e) {
            throw new IllegalStateException("token answer is not JSON: " + response, e);
        }
    }

    /**
     * Send one request to a path under the base URL, or to an absolute URL (an upload Location). With credentials:
     * Basic first, and on a Bearer challenge one retry with a token.
     */
    public RegistryResponse send(String method, String pathOrUrl, Map<String, String> headers, byte[] body) {
        URI uri = baseUrl.resolve(pathOrUrl);
        if (credentials.isEmpty()) {
            return exchange(method, uri, headers, body);
        }
        Map<String, String> withBasic = withHeader(headers, "Authorization", credentials.get().basicHeader());
        RegistryResponse first = exchange(method, uri, withBasic, body);
        if (first.status() != 401) {
            return first;
        }
        Optional<BearerChallenge> challenge = first.header("WWW-Authenticate").flatMap(BearerChallenge::parse);
        if (challenge.isEmpty()) {
            return first;
        }
        String token = fetchToken(challenge.get());
        return exchange(method, uri, withHeader(headers, "Authorization", "Bearer " + token), body);
    }

    /** Send exactly this request, no auth handling. */
    public RegistryResponse exchange(String method, URI uri, Map<String, String> headers, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        try {
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new RegistryResponse(method, uri, response.statusCode(), response.headers(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + uri + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(method + " " + uri + " interrupted", e);
        }
    }

    private static String manifestPath(String repository, String reference) {
        return "/v2/" + repository + "/manifests/" + reference;
    }

    private static String blobPath(String repository, String digest) {
        return "/v2/" + repository + "/blobs/" + digest;
    }

    private static Map<String, String> acceptHeader(List<String> accept) {
        return accept.isEmpty() ? Map.of() : Map.of("Accept", String.join(", ", accept));
    }

    private static Map<String, String> withHeader(Map<String, String> headers, String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(name, value);
        return copy;
    }

    private static void expectStatus(RegistryResponse response, int expected) {
        if (response.status() != expected) {
            throw new IllegalStateException("expected " + expected + ": " + response);
        }
    }
}

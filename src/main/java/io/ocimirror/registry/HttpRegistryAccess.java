package io.ocimirror.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.ocimirror.registry.RegistryAccessException.Failure;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.LongSupplier;

/**
 * {@link RegistryAccess} over the JDK's {@link HttpClient}, speaking the distribution API (distribution's
 * docs/spec/api.md, the OCI distribution spec) to one mirror host with one credential.
 *
 * <p>Every call is tried once and bounded: the connect timeout bounds the TCP connection, the read timeout bounds
 * the wait for the answer's headers and every pause in its body, and a deadline that grows with the size bounds the
 * whole body ({@link BodyReader#deadline}). Nothing here retries; the replication worker's
 * retry policy is the only one. The JDK client keeps idle keep-alive connections per host and closes them itself;
 * each response body is closed when its call ends, so a call leaves nothing behind. No lock is held across network
 * I/O: tokens are cached per repository scope and fetched without holding one.
 *
 * <p>Auth: anonymous, Basic, and the Bearer token flow (WWW-Authenticate realm/service/scope, distribution's
 * docs/spec/auth/token.md), answering one 401 per call. Redirects (object-storage backends answer blob GETs with
 * one) are followed to at most {@link #MAX_REDIRECTS} hops without the mirror's credentials, and to plain HTTP only
 * for a mirror that speaks plain HTTP itself.
 */
final class HttpRegistryAccess implements RegistryAccess {

    /** The distribution spec asks registries to accept manifests of at least 4 MiB; larger ones are not read. */
    static final int MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
    static final int MAX_TOKEN_RESPONSE_BYTES = 64 * 1024;
    static final int MAX_REDIRECTS = 3;
    /**
     * The answers of registries without the referrers API to {@code GET /v2/<name>/referrers/<digest>}, besides 404:
     * Quay 400, Harbor 2.7 401 without a challenge, 405 and 501 of servers without the route, Artifactory 406.
     */
    static final Set<Integer> NO_REFERRERS_API = Set.of(400, 401, 404, 405, 406, 501);
    /** Tags asked for per page of a tag list; registries may answer with fewer and a next page. */
    static final int TAGS_PER_PAGE = 1000;
    /** Pages of a tag list read at most: 100,000 tags at {@link #TAGS_PER_PAGE}, far beyond any chart repository. */
    static final int MAX_TAG_PAGES = 100;
    /** Tokens without {@code expires_in} last 60 s (token.md); a cached token is dropped this long before expiry. */
    static final Duration DEFAULT_TOKEN_LIFETIME = Duration.ofSeconds(60);
    static final Duration TOKEN_EXPIRY_MARGIN = Duration.ofSeconds(10);
    static final int MAX_CACHED_TOKENS = 256;
    private static final String USER_AGENT = "oci-mirror-webhook";

    /** The settings of every call. */
    record Limits(Duration readTimeout, ScheduledExecutorService watchdog, LongSupplier nanoClock) {
    }

    private record Token(String authorization, long expiresAtNanos) {
    }

    private final String host;
    private final URI base;
    private final boolean plainHttp;
    private final HttpClient http;
    private final Optional<RegistryCredential> credential;
    private final boolean stopBlobReadsEarly;
    private final Limits limits;
    private final BodyReader bodies;
    private final MirrorUrls urls;
    private final ManifestReader manifests;
    private final ObjectMapper json;
    private final FailureLog failures;
    private final Cache<String, Token> tokens =
            Caffeine.newBuilder().maximumSize(MAX_CACHED_TOKENS).build();
    /** Set once the host answered with a Basic challenge: later calls send Basic credentials at once. */
    private volatile boolean basicAuth;

    /**
     * @param host      the mirror's replication host ({@code host[:port]})
     * @param plainHttp talk plain HTTP (a mirror with {@code insecure: true}); else HTTPS, verified
     * @param http      a client without redirects, with the mirror's trust and the connect timeout
     * @param stopBlobReadsEarly close a blob's 2xx answer without reading its body (see {@link #blob})
     */
    HttpRegistryAccess(String host, boolean plainHttp, HttpClient http, Optional<RegistryCredential> credential,
            boolean stopBlobReadsEarly, Limits limits, ManifestReader manifests, ObjectMapper json,
            FailureLog failures) {
        this.host = host;
        this.base = URI.create((plainHttp ? "http://" : "https://") + host);
        this.plainHttp = plainHttp;
        this.http = http;
        this.credential = credential;
        this.stopBlobReadsEarly = stopBlobReadsEarly;
        this.limits = limits;
        this.bodies = new BodyReader(limits);
        this.urls = new MirrorUrls(base);
        this.manifests = manifests;
        this.json = json;
        this.failures = failures;
    }

    @Override
    public Manifest manifest(String repository, String reference) throws RegistryAccessException {
        return logged(() -> readManifest(repository, reference));
    }

    @Override
    public Optional<Manifest> manifestIfPresent(String repository, String reference) throws RegistryAccessException {
        return ifPresent(() -> readManifest(repository, reference));
    }

    @Override
    public Optional<Manifest> referrers(String repository, String digest) throws RegistryAccessException {
        return logged(() -> readReferrers(repository, digest));
    }

    /** A call that may throw a registry failure. */
    private interface Call<T> {
        T run() throws RegistryAccessException;
    }

    /** Runs a call; its failure is logged as a failed call to this host ({@link FailureLog}) and thrown on. */
    private <T> T logged(Call<T> call) throws RegistryAccessException {
        try {
            return call.run();
        } catch (RegistryAccessException e) {
            failures.failed(host, e.getMessage());
            throw e;
        }
    }

    /** Runs a call whose 404 is an answer: empty then, and not logged as a failed call. */
    private <T> Optional<T> ifPresent(Call<T> call) throws RegistryAccessException {
        return logged(() -> {
            try {
                return Optional.of(call.run());
            } catch (RegistryAccessException e) {
                if (e.failure() == Failure.NOT_FOUND) {
                    return Optional.empty();
                }
                throw e;
            }
        });
    }

    private Manifest readManifest(String repository, String reference) throws RegistryAccessException {
        String what = "manifest " + host + "/" + repository + (reference.contains(":") ? "@" : ":") + reference;
        // A manifest pinned by digest is checked with that digest's algorithm; one asked for by tag is named by
        // its sha256 digest, as registries name it (Docker-Content-Digest).
        ContentDigest algorithm = reference.contains(":") ? ContentDigest.of(reference, what) : ContentDigest.SHA256;
        HttpResponse<InputStream> response = get(urls.path("/v2/" + repository + "/manifests/" + reference, what),
                String.join(", ", ManifestReader.ACCEPTED), repository, what);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        bodies.read(response.body(), body, MAX_MANIFEST_BYTES, what);
        byte[] bytes = body.toByteArray();
        Optional<String> contentType = response.headers().firstValue("Content-Type");
        String digest = algorithm.format(algorithm.digester().digest(manifests.digestedContent(bytes, what)));
        if (reference.contains(":") && !reference.equals(digest)) {
            throw new RegistryAccessException(Failure.INVALID_CONTENT, what + ": content has digest " + digest);
        }
        return manifests.read(bytes, digest, contentType, what);
    }

    /** Empty when the registry has no referrers API, however it says so; see {@link RegistryAccess#referrers}. */
    private Optional<Manifest> readReferrers(String repository, String digest) throws RegistryAccessException {
        String what = "referrers of " + host + "/" + repository + "@" + digest;
        // The digest becomes part of the URL: one that is no digest ("../", a tag) is refused, not asked for.
        ContentDigest.of(digest, what);
        HttpResponse<InputStream> response = exchange(
                urls.path("/v2/" + repository + "/referrers/" + digest, what), ManifestReader.OCI_INDEX, repository,
                what);
        int status = response.statusCode();
        if (status / 100 != 2) {
            if (NO_REFERRERS_API.contains(status) && (status != 401
                    || AuthChallenge.parseAll(response.headers().allValues("WWW-Authenticate")).isEmpty())) {
                discard(response);
                return Optional.empty();
            }
            throw failure(response, what);
        }
        Optional<String> contentType = response.headers().firstValue("Content-Type");
        if (contentType.isPresent() && !isOciIndex(contentType.get())) {
            discard(response);
            return Optional.empty();
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        bodies.read(response.body(), body, MAX_MANIFEST_BYTES, what);
        byte[] bytes = body.toByteArray();
        Manifest index = manifests.read(bytes, ContentDigest.SHA256.format(ContentDigest.SHA256.digester()
                .digest(bytes)), contentType, what);
        return index.mediaType().equals(ManifestReader.OCI_INDEX) ? Optional.of(index) : Optional.empty();
    }

    /** A Content-Type naming the OCI image index, parameters and case aside. */
    private static boolean isOciIndex(String contentType) {
        int parameters = contentType.indexOf(';');
        return (parameters < 0 ? contentType : contentType.substring(0, parameters)).trim()
                .equalsIgnoreCase(ManifestReader.OCI_INDEX);
    }

    @Override
    public long blob(String repository, String digest, long size) throws RegistryAccessException {
        String what = "blob " + host + "/" + repository + "@" + digest;
        return logged(() -> {
            ContentDigest algorithm = ContentDigest.of(digest, what);
            HttpResponse<InputStream> response = get(urls.path("/v2/" + repository + "/blobs/" + digest, what), "*/*",
                    repository, what);
            if (stopBlobReadsEarly) {
                // The mirror answered 2xx: it serves the blob and (as measured for Docker Distribution in proxy
                // mode) stores it whether or not the body is read; it checks the digest itself when it stores it.
                BodyReader.closeQuietly(response.body());
                return 0L;
            }
            MessageDigest digester = algorithm.digester();
            // A body longer or shorter than its descriptor states is not the blob (OCI image spec, descriptor.md:
            // "size ... MUST be verified"); a longer one is cut off at the stated size.
            long read = bodies.read(response.body(), digester, OutputStream.nullOutputStream(),
                    size >= 0 ? size : Long.MAX_VALUE, Failure.INVALID_CONTENT, bodies.deadline(size), what);
            if (size >= 0 && read < size) {
                throw new RegistryAccessException(Failure.INVALID_CONTENT, what + ": " + read
                        + " bytes, fewer than the " + size + " its descriptor states");
            }
            String fetched = algorithm.format(digester.digest());
            if (!fetched.equals(digest)) {
                throw new RegistryAccessException(Failure.INVALID_CONTENT, what + ": content has digest " + fetched);
            }
            return read;
        });
    }

    @Override
    public List<String> tags(String repository) throws RegistryAccessException {
        String what = "tags of " + host + "/" + repository;
        return logged(() -> {
            List<String> tags = new ArrayList<>();
            URI page = urls.path("/v2/" + repository + "/tags/list?n=" + TAGS_PER_PAGE, what);
            for (int pages = 1; ; pages++) {
                HttpResponse<InputStream> response = get(page, "application/json", repository, what);
                Optional<String> link = response.headers().firstValue("Link");
                ByteArrayOutputStream body = new ByteArrayOutputStream();
                bodies.read(response.body(), body, MAX_MANIFEST_BYTES, what);
                tags.addAll(tagList(body.toByteArray(), what));
                Optional<String> nextLink = link.flatMap(MirrorUrls::nextPage);
                if (nextLink.isEmpty()) {
                    return List.copyOf(tags);
                }
                URI next = MirrorUrls.target(page, nextLink.get(), "a next page", what);
                if (!MirrorUrls.sameOrigin(base, next)) {
                    throw new RegistryAccessException(Failure.UNSUPPORTED, what + ": the next page is on "
                            + MirrorUrls.quote(next.getScheme() + "://" + next.getRawAuthority()));
                }
                if (pages >= MAX_TAG_PAGES) {
                    throw new RegistryAccessException(Failure.UNSUPPORTED, what + ": more than " + MAX_TAG_PAGES
                            + " pages");
                }
                page = next;
            }
        });
    }

    private List<String> tagList(byte[] body, String what) throws RegistryAccessException {
        JsonNode answer;
        try {
            answer = json.readTree(body);
        } catch (IOException e) {
            throw new RegistryAccessException(Failure.UNSUPPORTED, what + ": not a tag list (not JSON)");
        }
        JsonNode tags = answer == null ? null : answer.get("tags");
        if (tags == null || tags.isNull()) {
            // Docker Distribution answers "tags": null for a repository whose tags were all deleted.
            return List.of();
        }
        if (!tags.isArray()) {
            throw new RegistryAccessException(Failure.UNSUPPORTED, what + ": not a tag list");
        }
        List<String> names = new ArrayList<>();
        tags.forEach(tag -> {
            if (tag.isTextual()) {
                names.add(tag.asText());
            }
        });
        return names;
    }

    /** A GET answered 2xx, after at most one auth round and the redirects; its body is the caller's to drain. */
    private HttpResponse<InputStream> get(URI uri, String accept, String repository, String what)
            throws RegistryAccessException {
        HttpResponse<InputStream> response = exchange(uri, accept, repository, what);
        if (response.statusCode() / 100 == 2) {
            return response;
        }
        throw failure(response, what);
    }

    /**
     * A GET after at most one auth round and the redirects, whatever its final status; its body is the caller's to
     * drain or {@link #discard}. A 401 without a challenge is that final answer: there is nothing to answer.
     */
    private HttpResponse<InputStream> exchange(URI uri, String accept, String repository, String what)
            throws RegistryAccessException {
        HttpResponse<InputStream> response = send(uri, accept, authorization(repository), what);
        if (response.statusCode() == 401) {
            List<AuthChallenge> challenges = AuthChallenge.parseAll(response.headers().allValues("WWW-Authenticate"));
            if (!challenges.isEmpty()) {
                discard(response);
                Optional<String> authorization = authenticate(uri, challenges, repository, what);
                response = send(uri, accept, authorization, what);
            }
        }
        URI location = uri;
        for (int hop = 0; isRedirect(response.statusCode()); hop++) {
            Optional<String> next = response.headers().firstValue("Location");
            discard(response);
            if (hop >= MAX_REDIRECTS || next.isEmpty()) {
                throw new RegistryAccessException(Failure.UNSUPPORTED, what + ": "
                        + (next.isEmpty() ? "a redirect without Location" : "more than " + MAX_REDIRECTS + " redirects"));
            }
            location = MirrorUrls.target(location, next.get(), "a redirect", what);
            if (!allowedScheme(location)) {
                throw new RegistryAccessException(Failure.UNSUPPORTED, what + ": redirected to "
                        + location.getScheme() + "://" + location.getRawAuthority()
                        + ", which this mirror's setting does not allow");
            }
            // The mirror's credentials stay with the mirror: the redirect target (an object store) gets none.
            response = send(location, accept, Optional.empty(), what);
        }
        return response;
    }

    /** The failure of an answer that is not 2xx, its body discarded. */
    private RegistryAccessException failure(HttpResponse<InputStream> response, String what) {
        int status = response.statusCode();
        Optional<String> retryAfter = response.headers().firstValue("Retry-After");
        discard(response);
        return switch (status) {
            case 401, 403 -> new RegistryAccessException(Failure.UNAUTHORIZED, what + ": " + refusal(status));
            case 404 -> new RegistryAccessException(Failure.NOT_FOUND, what + ": HTTP 404");
            case 429 -> new RegistryAccessException(Failure.THROTTLED, what + ": HTTP 429"
                    + retryAfter.map(r -> " (Retry-After " + r + ")").orElse(""), retryAfter.flatMap(
                            HttpRegistryAccess::parseRetryAfter));
            default -> status >= 500
                    ? new RegistryAccessException(Failure.UNAVAILABLE, what + ": HTTP " + status)
                    : new RegistryAccessException(Failure.UNSUPPORTED, what + ": HTTP " + status);
        };
    }

    private Optional<String> authorization(String repository) {
        Token token = tokens.getIfPresent(scope(repository));
        if (token != null && token.expiresAtNanos() - limits.nanoClock().getAsLong() > 0) {
            return Optional.of(token.authorization());
        }
        return basicAuth ? credential.map(HttpRegistryAccess::basic) : Optional.empty();
    }

    /**
     * Answers the challenges of a 401, which may be several (RFC 7235 section 4.1): Bearer when one names a realm
     * (the token flow works with and without credentials), else Basic when there are credentials to send.
     */
    private Optional<String> authenticate(URI uri, List<AuthChallenge> challenges, String repository, String what)
            throws RegistryAccessException {
        Optional<AuthChallenge> bearer = challenges.stream()
                .filter(challenge -> challenge.scheme().equals("bearer") && challenge.parameter("realm").isPresent())
                .findFirst();
        if (bearer.isPresent()) {
            return Optional.of(fetchToken(uri, bearer.get(), repository, what));
        }
        boolean basic = challenges.stream().anyMatch(challenge -> challenge.scheme().equals("basic"));
        if (basic && credential.isPresent()) {
            basicAuth = true;
            return credential.map(HttpRegistryAccess::basic);
        }
        if (challenges.stream().anyMatch(challenge -> challenge.scheme().equals("bearer"))) {
            throw new RegistryAccessException(Failure.UNAUTHORIZED, what + ": a Bearer challenge without realm");
        }
        throw new RegistryAccessException(Failure.UNAUTHORIZED, what + ": " + refusal(401));
    }

    /**
     * A 401 or 403 as an admin reads it: whose credentials were refused, or that none were presented, which is
     * the first thing to check (the Secret, its key for this host).
     */
    private String refusal(int status) {
        return "HTTP " + status + credential.map(c -> status == 403
                        ? ": the credentials of user " + c.username() + " were refused access"
                        : ": the credentials of user " + c.username() + " were refused")
                .orElse(": no credentials presented (none configured for " + host + ")");
    }

    private String fetchToken(URI request, AuthChallenge challenge, String repository, String what)
            throws RegistryAccessException {
        String realm = challenge.parameter("realm").orElseThrow(() -> new RegistryAccessException(
                Failure.UNAUTHORIZED, what + ": a Bearer challenge without realm"));
        // Checked as a Location is, resolved against the request: an http(s) URL with a host and a usable port.
        URI realmUri = MirrorUrls.target(request, realm, "a token realm", what);
        if (!allowedScheme(realmUri)) {
            throw new RegistryAccessException(Failure.UNAUTHORIZED, what + ": token realm "
                    + MirrorUrls.quote(realmUri.getScheme() + "://" + realmUri.getRawAuthority()) + " is not HTTPS");
        }
        String scope = challenge.parameter("scope").orElse(scope(repository));
        StringBuilder query = new StringBuilder();
        challenge.parameter("service").ifPresent(service -> query.append("service=").append(encode(service)));
        query.append(query.length() == 0 ? "" : "&").append("scope=").append(encode(scope));
        // The realm's fragment is no part of the request; its query, if any, is kept.
        String validated = realmUri.toASCIIString();
        int fragment = validated.indexOf('#');
        String withoutFragment = fragment < 0 ? validated : validated.substring(0, fragment);
        URI tokenUri = MirrorUrls.target(request, withoutFragment
                + (realmUri.getRawQuery() != null ? "&" : "?") + query, "a token realm", what);
        String tokenWhat = "token for " + what;
        HttpResponse<InputStream> response = send(tokenUri, "application/json", credential.map(
                HttpRegistryAccess::basic), tokenWhat);
        if (response.statusCode() != 200) {
            discard(response);
            int status = response.statusCode();
            throw new RegistryAccessException(status >= 500 ? Failure.UNAVAILABLE : Failure.UNAUTHORIZED,
                    tokenWhat + ": " + (status == 401 || status == 403 ? refusal(status) : "HTTP " + status));
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        bodies.read(response.body(), body, MAX_TOKEN_RESPONSE_BYTES, tokenWhat);
        JsonNode answer;
        try {
            answer = json.readTree(body.toByteArray());
        } catch (IOException e) {
            throw new RegistryAccessException(Failure.UNAUTHORIZED, tokenWhat + ": not JSON");
        }
        String token = answer.path("token").asText(answer.path("access_token").asText(""));
        if (token.isEmpty()) {
            throw new RegistryAccessException(Failure.UNAUTHORIZED, tokenWhat + ": no token in the answer");
        }
        long lifetimeSeconds = answer.path("expires_in").asLong(DEFAULT_TOKEN_LIFETIME.toSeconds());
        Duration usable = Duration.ofSeconds(Math.max(0, lifetimeSeconds)).minus(TOKEN_EXPIRY_MARGIN);
        String authorization = "Bearer " + token;
        if (!usable.isNegative() && !usable.isZero()) {
            tokens.put(scope(repository), new Token(authorization, limits.nanoClock().getAsLong() + usable.toNanos()));
        }
        return authorization;
    }

    private HttpResponse<InputStream> send(URI uri, String accept, Optional<String> authorization, String what)
            throws RegistryAccessException {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                    .GET()
                    .timeout(limits.readTimeout())
                    .header("Accept", accept)
                    .header("User-Agent", USER_AGENT);
            authorization.ifPresent(value -> request.header("Authorization", value));
            return http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IllegalArgumentException e) {
            // A URI that java.net.URI accepts and the JDK client does not (MirrorUrls.target refuses those it knows
            // of), or a header value it refuses: a typed failure naming the URI, never an exception out of the call.
            throw new RegistryAccessException(Failure.UNSUPPORTED, what + ": the HTTP client cannot request "
                    + MirrorUrls.quote(uri.toString()));
        } catch (HttpConnectTimeoutException e) {
            throw Unreachable.because(what, "no connection within the connect timeout");
        } catch (HttpTimeoutException e) {
            throw Unreachable.because(what, "no answer within " + limits.readTimeout().toMillis() + " ms");
        } catch (IOException e) {
            throw Unreachable.because(what, Unreachable.describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Unreachable.because(what, "interrupted");
        }
    }

    /** HTTPS, or plain HTTP for a mirror that speaks it itself; the scheme compared as RFC 3986 says, ignoring case. */
    private boolean allowedScheme(URI uri) {
        return "https".equalsIgnoreCase(uri.getScheme()) || (plainHttp && "http".equalsIgnoreCase(uri.getScheme()));
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    private static void discard(HttpResponse<InputStream> response) {
        BodyReader.closeQuietly(response.body());
    }

    /** {@code Retry-After} in seconds or as an HTTP date (RFC 9110 section 10.2.3). */
    static Optional<Duration> parseRetryAfter(String value) {
        try {
            return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim()))));
        } catch (NumberFormatException notSeconds) {
            try {
                Duration wait = Duration.between(ZonedDateTime.now(),
                        ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME));
                return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
            } catch (DateTimeParseException neither) {
                return Optional.empty();
            }
        }
    }

    private static String scope(String repository) {
        return "repository:" + repository + ":pull";
    }

    private static String basic(RegistryCredential credential) {
        return "Basic " + Base64.getEncoder().encodeToString((credential.username() + ":" + credential.password())
                .getBytes(StandardCharsets.UTF_8));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}

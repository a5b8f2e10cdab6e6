package io.ocimirror.testing.registry;

import io.ocimirror.testing.RequiredTool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;

/**
 * A Docker Distribution 2.8 registry ({@code docker-registry serve CONFIG.yml}, Debian package {@code docker-registry})
 * run as a child process on a free port of 127.0.0.1, with filesystem storage in a temporary directory.
 *
 * <p>Either a plain registry to push test content to ({@link #upstream()}), or a pull-through cache of one
 * ({@link #proxyOf(DistributionRegistry)}). Either may protect its API with htpasswd Basic auth or with Bearer tokens
 * from a {@link TokenServer} ({@link RegistryAuth}). {@link #stop()} and {@link #start()} again keep the port and the
 * storage, for "the upstream is down" scenarios. {@link #close()} also deletes the storage. A JVM shutdown hook kills
 * a process that a test left running.
 *
 * <p>Traps of Distribution 2.8 in proxy mode, measured here: it panics at start when its upstream is down (so
 * {@link #start()} refuses to start a proxy before its upstream); a manifest GET caches that manifest only; a blob
 * GET or HEAD caches the blob, in the background after the answer (see {@link #awaitBlob}); an uncached object with
 * the upstream down is a 500; it is read-only (a push gives 405).
 */
public final class DistributionRegistry implements AutoCloseable {

    static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    static final Duration POLL_INTERVAL = Duration.ofMillis(100);
    static final Duration PING_TIMEOUT = Duration.ofSeconds(2);
    static final int LOG_TAIL_LINES = 40;

    private static final String LOOPBACK = "127.0.0.1";
    private static final String TOKEN_ISSUER = "oci-mirror-test-token-issuer";
    /** {@code 127.0.0.1 - user [date] "GET /v2/ HTTP/1.1" 200 2 "" "agent"}, from gorilla/handlers. */
    private static final Pattern ACCESS_LOG_LINE =
            Pattern.compile("^\\S+ \\S+ \\S+ \\[[^\\]]*\\] \"(\\S+) (\\S+) [^\"]*\" (\\d{3}) ");

    private final Optional<DistributionRegistry> upstream;
    private final RegistryAuth auth;
    private final Optional<ServingTls> tls;
    private final boolean allowManifestUrls;
    private final int port;
    private final Path workDirectory;
    private final String httpSecret;
    private final RegistryTestClient anonymousClient;
    private final Thread shutdownHook;

    // Mutable state, guarded by this. The process is volatile for the shutdown hook, which must not lock.
    private volatile Process process;
    private TokenServer tokenServer;
    private boolean closed;

    /**
     * The registry's HTTPS serving certificate ({@code http.tls}), and a TLS context that trusts it for the test's own
     * client.
     */
    public record ServingTls(Path certificate, Path key, SSLContext trust) {
    }

    private DistributionRegistry(Optional<DistributionRegistry> upstream, RegistryAuth auth) {
        this(upstream, auth, Optional.empty(), false);
    }

    private DistributionRegistry(Optional<DistributionRegistry> upstream, RegistryAuth auth, Optional<ServingTls> tls,
            boolean allowManifestUrls) {
        this.upstream = upstream;
        this.auth = Objects.requireNonNull(auth, "auth");
        this.tls = tls;
        this.allowManifestUrls = allowManifestUrls;
        this.port = freeLoopbackPort();
        try {
            this.workDirectory = Files.createTempDirectory("oci-mirror-registry-");
            Files.createDirectories(storageDirectory());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a temporary directory for a registry", e);
        }
        byte[] secret = new byte[16];
        new SecureRandom().nextBytes(secret);
        this.httpSecret = HexFormat.of().formatHex(secret);
        this.anonymousClient = tls.isPresent() ? RegistryTestClient.anonymous(baseUrl(), tls.get().trust())
                : RegistryTestClient.anonymous(baseUrl());
        this.shutdownHook = new Thread(this::killNow, "stop docker-registry " + hostPort());
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** A plain registry without auth, not started. */
    public static DistributionRegistry upstream() {
        return upstream(RegistryAuth.none());
    }

    /** A plain registry, not started. */
    public static DistributionRegistry upstream(RegistryAuth auth) {
        return new DistributionRegistry(Optional.empty(), auth);
    }

    /**
     * A plain registry without auth that accepts manifests whose descriptors carry {@code urls} (foreign and
     * non-distributable layers: {@code validation.manifests.urls.allow}), not started.
     */
    public static DistributionRegistry upstreamAllowingLayerUrls() {
        return new DistributionRegistry(Optional.empty(), RegistryAuth.none(), Optional.empty(), true);
    }

    /** A pull-through cache of {@code upstream} without auth of its own that serves HTTPS only, not started. */
    public static DistributionRegistry httpsProxyOf(DistributionRegistry upstream, ServingTls tls) {
        Objects.requireNonNull(upstream, "upstream");
        return new DistributionRegistry(Optional.of(upstream), RegistryAuth.none(), Optional.of(tls), false);
    }

    /** A pull-through cache of {@code upstream} without auth of its own, not started. */
    public static DistributionRegistry proxyOf(DistributionRegistry upstream) {
        return proxyOf(upstream, RegistryAuth.none());
    }

    /**
     * A pull-through cache of {@code upstream}, not started. If the upstream has Bearer auth, the proxy logs in to it
     * with the upstream's credentials ({@code proxy.username}/{@code proxy.password}).
     *
     * @throws IllegalArgumentException for an upstream with Basic auth, which a Distribution 2.8 proxy cannot use
     */
    public static DistributionRegistry proxyOf(DistributionRegistry upstream, RegistryAuth auth) {
        Objects.requireNonNull(upstream, "upstream");
        if (upstream.auth().kind() == RegistryAuth.Kind.HTPASSWD) {
            // registry/proxy/proxyauth.go keys the proxy's credentials by the token realms it finds at start; a
            // Basic challenge has no realm URL there, so the proxy never sends them (measured: 404 "unknown tag").
            throw new IllegalArgumentException("Distribution 2.8 in proxy mode cannot log in to a Basic-auth upstream;"
                    + " protect the upstream with RegistryAuth.bearer, or the proxy itself with RegistryAuth.basic");
        }
        return new DistributionRegistry(Optional.of(upstream), auth);
    }

    /**
     * Start the process (again, after {@link #stop()}: same port, same storage) and wait until {@code GET /v2/}
     * answers 200 or 401.
     *
     * @return this
     * @throws AssertionError naming the install line when docker-registry is not on PATH
     * @throws IllegalStateException when a proxy's upstream is not running, or the registry
     *     does not become ready in {@link #STARTUP_TIMEOUT} (the message carries the tail of its log)
     */
    public synchronized DistributionRegistry start() {
        if (closed) {
            throw new IllegalStateException("registry on " + hostPort() + " is closed");
        }
        if (isRunning()) {
            return this;
        }
        Path binary = binary();
        if (upstream.isPresent() && !upstream.get().isRunning()) {
            throw new IllegalStateException("start the upstream " + upstream.get().hostPort() + " before its proxy "
                    + hostPort() + ": Distribution in proxy mode panics at start when its upstream is down");
        }
        try {
            prepareAuth();
            Files.writeString(configFile(), config(), StandardCharsets.UTF_8);
            Files.writeString(logFile(), "--- starting " + binary + " serve " + configFile() + System.lineSeparator(),
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            process = new ProcessBuilder(binary.toString(), "serve", configFile().toString())
                    .directory(workDirectory.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()))
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + binary + " for " + hostPort(), e);
        }
        awaitReady();
        return this;
    }

    /** Stop the process; port, storage and token server stay for a later {@link #start()}. */
    public synchronized void stop() {
        Process running = process;
        if (running == null) {
            return;
        }
        running.destroy();
        try {
            if (!running.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                running.destroyForcibly();
                running.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            running.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /** Stop the process and the token server, and delete the storage and the log. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        stop();
        closed = true;
        if (tokenServer != null) {
            tokenServer.close();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shutdownInProgress) {
            // the hook runs anyway, harmlessly: the process is gone
        }
        deleteRecursively(workDirectory);
    }

    public boolean isRunning() {
        Process running = process;
        return running != null && running.isAlive();
    }

    /** {@code http://127.0.0.1:PORT}, or {@code https://} for a registry that serves TLS. */
    public URI baseUrl() {
        return URI.create((tls.isPresent() ? "https://" : "http://") + hostPort());
    }

    /** {@code 127.0.0.1:PORT}: the registry host of an image reference on this registry. */
    public String hostPort() {
        return LOOPBACK + ":" + port;
    }

    public int port() {
        return port;
    }

    public RegistryAuth auth() {
        return auth;
    }

    /** The credentials that this registry accepts, if it has auth. */
    public Optional<Credentials> credentials() {
        return auth.credentials();
    }

    /** The registry this one is a pull-through cache of; empty for a plain registry. */
    public Optional<DistributionRegistry> proxiedUpstream() {
        return upstream;
    }

    /** The token server behind Bearer auth; present once a {@link RegistryAuth#bearer} registry has started. */
    public synchronized Optional<TokenServer> tokenServer() {
        return Optional.ofNullable(tokenServer);
    }

    /** A client with this registry's credentials, if any. */
    public RegistryTestClient client() {
        RegistryTestClient anonymous = anonymousClient();
        return credentials().map(anonymous::withCredentials).orElse(anonymous);
    }

    /** A client without credentials: a protected registry answers it 401. */
    public RegistryTestClient anonymousClient() {
        return anonymousClient;
    }

    /** The filesystem driver's {@code rootdirectory}. */
    public Path storageDirectory() {
        return workDirectory.resolve("storage");
    }

    public Path configFile() {
        return workDirectory.resolve("config.yml");
    }

    /** The process's output, appended across restarts. */
    public Path logFile() {
        return workDirectory.resolve("registry.log");
    }

    /** The last {@link #LOG_TAIL_LINES} lines of the log. */
    public String logTail() {
        try {
            if (!Files.exists(logFile())) {
                return "(no log)";
            }
            List<String> lines = Files.readAllLines(logFile(), StandardCharsets.UTF_8);
            return String.join(System.lineSeparator(),
                    lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
        } catch (IOException e) {
            return "(cannot read " + logFile() + ": " + e + ")";
        }
    }

    /** One request in the access log: method, path with query, status. */
    public record Request(String method, String path, int status) {
    }

    /**
     * The requests this registry answered, in order, from the access log (Apache combined format) in
     * {@link #logFile()}. A line is written just after its answer is sent: to count requests a test has just made,
     * use {@link #awaitRequests}.
     */
    public List<Request> requests() {
        List<Request> requests = new ArrayList<>();
        try {
            if (!Files.exists(logFile())) {
                return requests;
            }
            for (String line : Files.readAllLines(logFile(), StandardCharsets.UTF_8)) {
                Matcher matcher = ACCESS_LOG_LINE.matcher(line);
                if (matcher.find()) {
                    requests.add(new Request(matcher.group(1), matcher.group(2), Integer.parseInt(matcher.group(3))));
                }
            }
            return requests;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + logFile(), e);
        }
    }

    /**
     * Wait, bounded by {@code timeout}, until at least {@code count} logged requests match {@code filter}.
     *
     * @return the matching requests at that point (fewer than {@code count} if the time ran out)
     */
    public List<Request> awaitRequests(Predicate<Request> filter, int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long attempts = Math.max(1, timeout.toMillis() / POLL_INTERVAL.toMillis() + 1);
        List<Request> matching = List.of();
        for (long attempt = 0; attempt < attempts; attempt++) {
            matching = requests().stream().filter(filter).toList();
            if (matching.size() >= count || System.nanoTime() > deadline) {
                break;
            }
            sleep(POLL_INTERVAL);
        }
        return matching;
    }

    /** Whether the blob's content is in storage ({@code docker/registry/v2/blobs/sha256/<2 hex>/<hex>/data}). */
    public boolean hasBlob(String digest) {
        String hex = sha256Hex(digest);
        return Files.isRegularFile(registryRoot().resolve(Path.of("blobs", "sha256", hex.substring(0, 2), hex,
                "data")));
    }

    /**
     * Whether the repository links the blob ({@code repositories/<repo>/_layers/sha256/<hex>/link}): the
     * registry serves it in that repository.
     */
    public boolean hasLayerLink(String repository, String digest) {
        return Files.isRegularFile(repositoryRoot(repository).resolve(Path.of("_layers", "sha256",
                sha256Hex(digest), "link")));
    }

    /**
     * Whether a manifest revision is stored for the repository
     * ({@code repositories/<repo>/_manifests/revisions/sha256/<hex>/link}).
     */
    public boolean hasManifestRevision(String repository, String digest) {
        return Files.isRegularFile(repositoryRoot(repository).resolve(Path.of("_manifests", "revisions", "sha256",
                sha256Hex(digest), "link")));
    }

    /** Whether the tag is stored for the repository ({@code _manifests/tags/<tag>/current/link}). */
    public boolean hasTag(String repository, String tag) {
        return Files.isRegularFile(repositoryRoot(repository).resolve(Path.of("_manifests", "tags", tag, "current",
                "link")));
    }

    /**
     * What a full walk of {@code artifact} for {@code platforms} fetches and this registry's storage lacks: each
     * entry {@code "manifest <digest>"} (no revision in the repository) or {@code "blob <digest>"}. Empty when the
     * walk has warmed this mirror.
     */
    public List<String> missingFor(PushedArtifact artifact, Collection<String> platforms) {
        List<String> missing = new ArrayList<>();
        for (String manifest : artifact.manifestDigestsFor(platforms)) {
            if (!hasManifestRevision(artifact.repository(), manifest)) {
                missing.add("manifest " + manifest);
            }
        }
        for (String blob : artifact.blobDigestsFor(platforms)) {
            if (!hasBlob(blob)) {
                missing.add("blob " + blob);
            }
        }
        return missing;
    }

    /**
     * What this registry's storage holds of {@code artifact} beyond a walk for {@code platforms}: the other children
     * of an index and their blobs, each as {@code "manifest <digest>"} or {@code "blob <digest>"}. Empty when the
     * walk kept to its platforms.
     */
    public List<String> cachedBeyond(PushedArtifact artifact, Collection<String> platforms) {
        Set<String> wantedManifests = Set.copyOf(artifact.manifestDigestsFor(platforms));
        Set<String> wantedBlobs = Set.copyOf(artifact.blobDigestsFor(platforms));
        List<String> extra = new ArrayList<>();
        for (ImageManifest image : artifact.imagesNotFor(platforms)) {
            String manifest = image.manifest().digest();
            if (!wantedManifests.contains(manifest) && hasManifestRevision(artifact.repository(), manifest)) {
                extra.add("manifest " + manifest);
            }
            for (String blob : image.blobDigests()) {
                if (!wantedBlobs.contains(blob) && hasBlob(blob)) {
                    extra.add("blob " + blob);
                }
            }
        }
        return extra;
    }

    /**
     * Wait, bounded by {@code timeout}, until the blob is in storage. A proxy stores a blob it served in a
     * background goroutine that fetches it from the upstream once more, so it lands on disk shortly after the
     * answer.
     *
     * @return whether the blob arrived in time
     */
    public boolean awaitBlob(String digest, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long attempts = Math.max(1, timeout.toMillis() / POLL_INTERVAL.toMillis() + 1);
        for (long attempt = 0; attempt < attempts; attempt++) {
            if (hasBlob(digest)) {
                return true;
            }
            if (System.nanoTime() > deadline) {
                break;
            }
            sleep(POLL_INTERVAL);
        }
        return hasBlob(digest);
    }

    @Override
    public String toString() {
        return (upstream.isPresent() ? "proxy of " + upstream.get().hostPort() : "registry") + " on " + hostPort()
                + " (auth " + auth + ")";
    }

    private Path registryRoot() {
        return storageDirectory().resolve(Path.of("docker", "registry", "v2"));
    }

    private Path repositoryRoot(String repository) {
        if (repository.isEmpty() || repository.contains("..") || repository.startsWith("/")) {
            throw new IllegalArgumentException("not a repository name: " + repository);
        }
        return registryRoot().resolve("repositories").resolve(repository);
    }

    private static String sha256Hex(String digest) {
        if (!digest.matches("sha256:[0-9a-f]{64}")) {
            throw new IllegalArgumentException("not a sha256 digest: " + digest);
        }
        return digest.substring("sha256:".length());
    }

    private void prepareAuth() throws IOException {
        switch (auth.kind()) {
            case HTPASSWD -> {
                Path htpasswd = workDirectory.resolve("htpasswd");
                if (!Files.exists(htpasswd)) {
                    Files.writeString(htpasswd, Htpasswd.bcryptEntry(auth.credentials().orElseThrow()),
                            StandardCharsets.UTF_8);
                }
            }
            case TOKEN -> {
                if (tokenServer == null) {
                    tokenServer = TokenServer.start(workDirectory.resolve("token"), tokenService(), TOKEN_ISSUER,
                            auth.credentials().orElseThrow());
                }
            }
            case NONE -> {
            }
        }
    }

    /** The {@code service} of the token flow: the audience of the tokens. */
    private String tokenService() {
        return "registry-" + hostPort();
    }

    /** The configuration, written anew at each start; see Distribution's docs/configuration.md. */
    private String config() {
        StringBuilder yaml = new StringBuilder();
        yaml.append("version: 0.1\n");
        yaml.append("log:\n  level: info\n  formatter: text\n");
        yaml.append("storage:\n");
        yaml.append("  filesystem:\n    rootdirectory: ").append(quoted(storageDirectory())).append('\n');
        yaml.append("  delete:\n    enabled: true\n");
        yaml.append("  maintenance:\n    uploadpurging:\n      enabled: false\n");
        yaml.append("http:\n");
        yaml.append("  addr: ").append(quoted(hostPort())).append('\n');
        yaml.append("  secret: ").append(quoted(httpSecret)).append('\n');
        yaml.append("  headers:\n    X-Content-Type-Options: [nosniff]\n");
        tls.ifPresent(serving -> yaml.append("  tls:\n")
                .append("    certificate: ").append(quoted(serving.certificate().toAbsolutePath())).append('\n')
                .append("    key: ").append(quoted(serving.key().toAbsolutePath())).append('\n'));
        if (allowManifestUrls) {
            yaml.append("validation:\n  manifests:\n    urls:\n      allow: ['^https?://']\n");
        }
        yaml.append("health:\n  storagedriver:\n    enabled: false\n");
        if (upstream.isPresent()) {
            yaml.append("proxy:\n  remoteurl: ").append(quoted(upstream.get().baseUrl())).append('\n');
            upstream.get().credentials().ifPresent(credentials -> yaml
                    .append("  username: ").append(quoted(credentials.username())).append('\n')
                    .append("  password: ").append(quoted(credentials.password())).append('\n'));
        }
        switch (auth.kind()) {
            case HTPASSWD -> yaml.append("auth:\n  htpasswd:\n    realm: \"oci-mirror-test\"\n    path: ")
                    .append(quoted(workDirectory.resolve("htpasswd"))).append('\n');
            case TOKEN -> yaml.append("auth:\n  token:\n")
                    .append("    realm: ").append(quoted(tokenServer.realm())).append('\n')
                    .append("    service: ").append(quoted(tokenServer.service())).append('\n')
                    .append("    issuer: ").append(quoted(tokenServer.issuer())).append('\n')
                    .append("    rootcertbundle: ").append(quoted(tokenServer.rootCertificateBundle())).append('\n');
            case NONE -> {
            }
        }
        return yaml.toString();
    }

    /** A YAML double-quoted scalar. */
    private static String quoted(Object value) {
        return "\"" + value.toString().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        long attempts = STARTUP_TIMEOUT.toMillis() / POLL_INTERVAL.toMillis();
        String lastProblem = "no answer yet";
        for (long attempt = 0; attempt < attempts && System.nanoTime() < deadline; attempt++) {
            Process running = process;
            if (running == null || !running.isAlive()) {
                String exit = running == null ? "" : " with code " + running.exitValue();
                process = null;
                throw new IllegalStateException(this + " exited" + exit + " while starting; log "
                        + logFile() + ":\n" + logTail());
            }
            try {
                int status = anonymousClient.ping(PING_TIMEOUT).status();
                if (status == 200 || status == 401) {
                    return;
                }
                lastProblem = "GET /v2/ answered " + status;
            } catch (IOException e) {
                lastProblem = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stop();
                throw new IllegalStateException("interrupted while waiting for " + this, e);
            }
            sleep(POLL_INTERVAL);
        }
        stop();
        throw new IllegalStateException(this + " not ready within " + STARTUP_TIMEOUT + " (" + lastProblem
                + "); log " + logFile() + ":\n" + logTail());
    }

    /**
     * The shutdown hook: kill the process and delete what {@link #close()} would have deleted. The JVM is going away,
     * so it stays quiet: a failure here (say, the class loader of a finished Quarkus test is closed) changes nothing.
     */
    private void killNow() {
        try {
            Process running = process;
            if (running != null) {
                running.destroyForcibly();
                running.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
            deleteRecursively(workDirectory);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | LinkageError e) {
            // nothing left to report to
        }
    }

    /** The binary on the PATH. */
    static Path binary() {
        return RequiredTool.DOCKER_REGISTRY.path();
    }

    private static int freeLoopbackPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByAddress(new byte[] {127, 0, 0, 1}))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void deleteRecursively(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    // a leftover file in the temporary directory is harmless
                }
            });
        } catch (IOException e) {
            // same
        }
    }
}

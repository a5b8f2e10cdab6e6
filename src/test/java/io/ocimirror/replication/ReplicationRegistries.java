package io.ocimirror.replication;

import io.ocimirror.testing.registry.DistributionRegistry;
import io.ocimirror.testing.registry.RegistryAuth;
import io.ocimirror.testing.registry.TestContent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Real registries for the replication tests, all on 127.0.0.1: an upstream holding the test content, an open
 * proxy-mode mirror of it, a mirror of it behind htpasswd Basic auth, one behind the Bearer token flow, and a port
 * where nothing listens. Writes the mirror configuration and the credentials file the webhook reads.
 */
public class ReplicationRegistries extends RegistryTestResource {

    static final String PASSWORD = "right-horse-battery";
    static final String WRONG_PASSWORD = "wrong-horse-battery";
    static final String USER = "robot";

    /** Source registries the configuration maps; references on them are rewritten to the mirrors. */
    static final String WRONG_CREDENTIALS_SOURCE = "wrong-credentials.test";
    static final String DEAD_MIRROR_SOURCE = "dead-mirror.test";
    static final String BEARER_SOURCE = "bearer.test";

    static final int QUEUE_CAPACITY = 8;
    static final int ATTEMPTS = 3;
    /** Waited on the test's {@link TestReplicationTime}, so only as long as the test lets them. */
    static final Duration INITIAL_BACKOFF = Duration.ofSeconds(5);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

    DistributionRegistry upstream;
    DistributionRegistry openMirror;
    DistributionRegistry basicMirror;
    DistributionRegistry bearerMirror;
    TestContent.Pushed content;
    int deadPort;
    Path configFile;
    private Path directory;

    @Override
    public Map<String, String> start() {
        upstream = started(DistributionRegistry.upstream());
        content = TestContent.to(upstream).pushAll();
        openMirror = started(DistributionRegistry.proxyOf(upstream));
        basicMirror = started(DistributionRegistry.proxyOf(upstream, RegistryAuth.basic(USER, PASSWORD)));
        bearerMirror = started(DistributionRegistry.proxyOf(upstream, RegistryAuth.bearer(USER, PASSWORD)));
        deadPort = unusedPort();
        try {
            directory = Files.createTempDirectory("oci-mirror-replication");
            configFile = directory.resolve("mirror-config.yaml");
            Files.writeString(configFile, configuration("full"));
            Path credentials = directory.resolve("config.json");
            Files.writeString(credentials, """
                    {"auths": {
                      "%s": {"username": "%s", "password": "%s"},
                      "%s": {"username": "%s", "password": "%s"},
                      "%s": {"username": "%s", "password": "%s"}}}
                    """.formatted(basicMirror.hostPort(), USER, PASSWORD,
                    "localhost:" + basicMirror.port(), USER, WRONG_PASSWORD,
                    bearerMirror.hostPort(), USER, PASSWORD));
            return Map.ofEntries(
                    Map.entry("oci-mirror.config-file", configFile.toString()),
                    Map.entry("oci-mirror.replication.enabled", "true"),
                    Map.entry("oci-mirror.replication.credentials-file", credentials.toString()),
                    Map.entry("oci-mirror.replication.queue-capacity", String.valueOf(QUEUE_CAPACITY)),
                    Map.entry("oci-mirror.replication.attempts", String.valueOf(ATTEMPTS)),
                    Map.entry("oci-mirror.replication.initial-backoff", INITIAL_BACKOFF.toMillis() + "ms"),
                    Map.entry("oci-mirror.replication.max-backoff", MAX_BACKOFF.toMillis() + "ms"),
                    Map.entry("oci-mirror.replication.timeout", "10s"),
                    // The dead mirror fails on purpose here; the breaker has tests of its own.
                    Map.entry("oci-mirror.circuit-breaker.failure-threshold", "1000"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@code 127.0.0.1:UP} goes to the open mirror, {@code localhost:UP} to the Basic-auth mirror (right
     * credentials), {@link #WRONG_CREDENTIALS_SOURCE} to the same mirror under another host name (wrong
     * credentials), {@link #BEARER_SOURCE} to the token-auth mirror, {@link #DEAD_MIRROR_SOURCE} to nothing.
     */
    String configuration(String mode) {
        return """
                registryMirrors:
                  127.0.0.1:%d: {baseDomain: "%s", insecure: true}
                  localhost:%d: {baseDomain: "%s", insecure: true}
                  %s: {baseDomain: "localhost:%d", insecure: true}
                  %s: {baseDomain: "%s", insecure: true}
                  %s: {baseDomain: "127.0.0.1:%d", insecure: true}
                replication:
                  mode: %s
                  platforms: [linux/amd64]
                """.formatted(upstream.port(), openMirror.hostPort(), upstream.port(), basicMirror.hostPort(),
                WRONG_CREDENTIALS_SOURCE, basicMirror.port(), BEARER_SOURCE, bearerMirror.hostPort(),
                DEAD_MIRROR_SOURCE, deadPort, mode);
    }
}

package io.ocimirror.settings;

import io.ocimirror.rewrite.RewriteMode;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** The webhook's own settings ({@code oci-mirror.*}); the mirror configuration itself lives in YAML. */
@ConfigMapping(prefix = "oci-mirror")
public interface WebhookSettings {

    /** Read the mirror configuration from this YAML file instead of a ConfigMap (no Kubernetes needed). */
    Optional<Path> configFile();

    ConfigMap configmap();

    /**
     * {@code enforce}: {@code /mutate} rewrites references to their mirrors. {@code observe}: it decides, counts,
     * records the decisions and warms the mirrors, but rewrites nothing ({@code /observe} always does that).
     */
    @WithDefault("enforce")
    RewriteMode mode();

    Tls tls();

    Replication replication();

    CircuitBreakerSettings circuitBreaker();

    Greenhouse greenhouse();

    interface ConfigMap {
        /** Defaults to the namespace the webhook runs in. */
        Optional<String> namespace();

        @WithDefault("oci-mirror-config")
        String name();

        @WithDefault("containerRegistryConfig")
        String key();
    }

    interface Replication {
        /** Off: references are rewritten, nothing is replicated (local trials, or mirrors that fill themselves). */
        @WithDefault("true")
        boolean enabled();

        /**
         * Threads kept ready to walk references through mirrors; more start while all are busy, at most
         * {@link #perHostConcurrency()} per mirror host.
         */
        @WithDefault("4")
        int workers();

        /** At most this many jobs wait or run; more are dropped and counted, admission never waits. */
        @WithDefault("1000")
        int queueCapacity();

        /** At most this many jobs run against one mirror host at once. */
        @WithDefault("2")
        int perHostConcurrency();

        /** At most this many registry calls of one job (index children, blobs) run at once. */
        @WithDefault("4")
        int perJobConcurrency();

        /** At most this many registry calls run against one mirror host at once, across all jobs. */
        @WithDefault("8")
        int perHostConnections();

        /**
         * A blob fetched through a mirror host for a repository is not fetched again for another reference of that
         * repository for this long.
         */
        @WithDefault("1h")
        Duration warmedBlobWindow();

        /** Cap on remembered warmed blobs; the least recently used are forgotten first. */
        @WithDefault("50000")
        int warmedBlobCapacity();

        /** A tag replicated successfully is not replicated again for this long (it may move upstream). */
        @WithDefault("10m")
        Duration tagWindow();

        /** A digest replicated successfully is not replicated again for this long (its content never changes). */
        @WithDefault("24h")
        Duration digestWindow();

        /** Cap on remembered successful jobs; the oldest are forgotten first. */
        @WithDefault("10000")
        int recentCapacity();

        /** Tries per job before giving up. */
        @WithDefault("5")
        int attempts();

        /** Wait before the first retry; doubled for each further one, with jitter. */
        @WithDefault("2s")
        Duration initialBackoff();

        @WithDefault("1m")
        Duration maxBackoff();

        /**
         * Read timeout of every registry call: the longest wait for an answer's headers once connected, and the
         * longest pause within its body.
         */
        @WithDefault("10s")
        Duration timeout();

        /** Connect timeout of every registry call: the TCP connection and the TLS handshake. */
        @WithDefault("3s")
        Duration connectTimeout();

        /**
         * A job that gave up is remembered for this long: new Pods of the same reference do not start the same
         * failing job again meanwhile.
         */
        @WithDefault("1m")
        Duration failedWindow();

        /** On shutdown, running and queued jobs get this long to finish. */
        @WithDefault("10s")
        Duration drainTimeout();

        /**
         * Mirror credentials in Docker's {@code config.json} format ({@code {"auths": {"host": {"auth": ...}}}}),
         * read when the mirror configuration comes from a file; re-read when it changes.
         */
        Optional<Path> credentialsFile();
    }

    interface CircuitBreakerSettings {
        /**
         * Failed calls in a row (connection refused or reset, timeout, TLS failure, 5xx) after which a mirror host
         * gets no rewrites and no replication.
         */
        @WithDefault("3")
        int failureThreshold();

        /** How long a failing mirror gets no rewrites and no replication before a probe tries it again. */
        @WithDefault("1m")
        Duration openDuration();
    }

    /**
     * Greenhouse organisations: each {@code Organization} ({@code greenhouse.sap/v1alpha1}) names in
     * {@code spec.configMapRef} a ConfigMap in the namespace of its own name; objects in that namespace use it.
     */
    interface Greenhouse {
        /** Off: one configuration (file or ConfigMap) serves every namespace. */
        @WithDefault("false")
        boolean enabled();

        /** The organisation whose configuration ClusterPluginDefinitions use (Greenhouse's own is greenhouse). */
        @WithDefault("greenhouse")
        String clusterOrganization();
    }

    interface Tls {
        /** PEM serving certificate (chain); served anew when it changes on disk. */
        Path certFile();

        /** PEM private key of the serving certificate. */
        Path keyFile();

        /** How often the two files are checked for a rotated certificate. */
        @WithDefault("30s")
        Duration reloadInterval();
    }
}

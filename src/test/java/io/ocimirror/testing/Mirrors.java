package io.ocimirror.testing;

import io.ocimirror.config.Mirror;
import io.ocimirror.config.RewritePolicy;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Mirrors for tests, by name rather than by position: {@code Mirrors.plainHttp("upstream.test", host)} instead of
 * {@code new Mirror("upstream.test", host, "", host, true, RewritePolicy.ALWAYS, Optional.empty(), false, false)}.
 */
public final class Mirrors {

    private Mirrors() {
    }

    /** Served and replicated at {@code host} over plain HTTP, rewritten always. */
    public static Mirror plainHttp(String sourceRegistry, String host) {
        return of(sourceRegistry, host).plainHttp().build();
    }

    /** Served and replicated at {@code host} over HTTPS trusting {@code caFile} too, rewritten always. */
    public static Mirror https(String sourceRegistry, String host, Path caFile) {
        return of(sourceRegistry, host).caFile(caFile).build();
    }

    /**
     * A mirror of {@code sourceRegistry} at {@code baseDomain}, replicated at the same host: over verified HTTPS
     * with the JVM's CAs, at the root, rewritten always, blob answers read to the end, referrers not warmed, until a
     * setter says otherwise.
     */
    public static Builder of(String sourceRegistry, String baseDomain) {
        return new Builder(sourceRegistry, baseDomain);
    }

    /** Sets the fields of one {@link Mirror} by name. */
    public static final class Builder {
        private final String sourceRegistry;
        private final String baseDomain;
        private String subPath = "";
        private String replicationHost;
        private boolean plainHttp;
        private RewritePolicy rewritePolicy = RewritePolicy.ALWAYS;
        private Optional<Path> caFile = Optional.empty();
        private boolean stopBlobReadsEarly;

        private Builder(String sourceRegistry, String baseDomain) {
            this.sourceRegistry = sourceRegistry;
            this.baseDomain = baseDomain;
            this.replicationHost = baseDomain;
        }

        public Builder subPath(String subPath) {
            this.subPath = subPath;
            return this;
        }

        public Builder replicationHost(String replicationHost) {
            this.replicationHost = replicationHost;
            return this;
        }

        /** Replication talks plain HTTP ({@code insecure: true}). */
        public Builder plainHttp() {
            this.plainHttp = true;
            return this;
        }

        public Builder rewritePolicy(RewritePolicy rewritePolicy) {
            this.rewritePolicy = rewritePolicy;
            return this;
        }

        public Builder caFile(Path caFile) {
            return caFile(Optional.of(caFile));
        }

        public Builder caFile(Optional<Path> caFile) {
            this.caFile = caFile;
            return this;
        }

        public Builder stopBlobReadsEarly() {
            this.stopBlobReadsEarly = true;
            return this;
        }

        public Mirror build() {
            return new Mirror(sourceRegistry, baseDomain, subPath, replicationHost, plainHttp, rewritePolicy, caFile,
                    stopBlobReadsEarly, false);
        }
    }
}

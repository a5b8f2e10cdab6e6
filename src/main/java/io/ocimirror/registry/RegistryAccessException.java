package io.ocimirror.registry;

import java.time.Duration;
import java.util.Optional;

/**
 * A registry call that failed. {@link #failure()} says why as far as replication cares: whether a retry can help
 * ({@link Failure#retryable()}) and whether it is the mirror itself that failed ({@link Failure#mirrorFailure()}),
 * the only kind that counts against the mirror's circuit breaker.
 */
public final class RegistryAccessException extends Exception {

    /** Why a call failed. */
    public enum Failure {
        /** No connection, no answer in time, a failed TLS handshake, a reset: the mirror is not there. */
        UNREACHABLE(true, true),
        /** A 5xx answer: the mirror (or its upstream) is there but failing. */
        UNAVAILABLE(true, true),
        /** A 429 answer: the mirror is up and wants fewer requests; see {@link #retryAfter()}. */
        THROTTLED(true, false),
        /** The registry refused the credentials, or needs some: retrying with the same ones does not help. */
        UNAUTHORIZED(false, false),
        /** The registry (for a mirror: its upstream) does not have it. */
        NOT_FOUND(false, false),
        /** Content that does not match its digest: a retry fetches it again. */
        INVALID_CONTENT(true, false),
        /**
         * Content or an answer replication cannot use (a digest algorithm other than sha256 and sha512, a document
         * that is not a manifest, another 4xx, an unreadable {@code caFile}).
         */
        UNSUPPORTED(false, false);

        private final boolean retryable;
        private final boolean mirrorFailure;

        Failure(boolean retryable, boolean mirrorFailure) {
            this.retryable = retryable;
            this.mirrorFailure = mirrorFailure;
        }

        /** Whether trying the same call again later can succeed. */
        public boolean retryable() {
            return retryable;
        }

        /** Whether the mirror itself failed, as opposed to one reference's content or permissions. */
        public boolean mirrorFailure() {
            return mirrorFailure;
        }
    }

    private final Failure failure;
    private final Optional<Duration> retryAfter;

    public RegistryAccessException(Failure failure, String message) {
        this(failure, message, Optional.empty());
    }

    /** @param retryAfter how long the registry asked to wait ({@code Retry-After} of a 429), when it said */
    public RegistryAccessException(Failure failure, String message, Optional<Duration> retryAfter) {
        super(message);
        this.failure = failure;
        this.retryAfter = retryAfter;
    }

    public Failure failure() {
        return failure;
    }

    public boolean retryable() {
        return failure.retryable();
    }

    /** The wait a 429 asked for; empty for other failures or when the registry named none. */
    public Optional<Duration> retryAfter() {
        return retryAfter;
    }
}

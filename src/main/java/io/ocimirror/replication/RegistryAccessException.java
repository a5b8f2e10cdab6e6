package io.ocimirror.replication;

/** A registry call that failed; {@link #retryable()} tells whether trying again later can help. */
public final class RegistryAccessException extends Exception {

    /** Why a call failed, as far as replication cares. */
    public enum Failure {
        /** The registry refused the credentials, or needs some: retrying with the same ones does not help. */
        UNAUTHORIZED(false),
        /** The registry (for a mirror: its upstream) does not have it. */
        NOT_FOUND(false),
        /** Connection refused, timeout, 5xx: the mirror or its upstream may come back. */
        UNAVAILABLE(true),
        /** Content that does not match its digest: a retry fetches it again. */
        INVALID_CONTENT(true),
        /** Content replication cannot walk (a schema 1 manifest, a digest algorithm other than sha256). */
        UNSUPPORTED(false);

        private final boolean retryable;

        Failure(boolean retryable) {
            this.retryable = retryable;
        }
    }

    private final Failure failure;

    public RegistryAccessException(Failure failure, String message) {
        super(message);
        this.failure = failure;
    }

    public RegistryAccessException(Failure failure, String message, Throwable cause) {
        super(message, cause);
        this.failure = failure;
    }

    public Failure failure() {
        return failure;
    }

    public boolean retryable() {
        return failure.retryable;
    }
}

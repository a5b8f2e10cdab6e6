package io.ocimirror.registry;

import io.ocimirror.registry.RegistryAccessException.Failure;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Reads a response body to its end, through a digest when one is asked for, into a sink, bounded three ways: a pause
 * of the read timeout, a deadline for the whole body that grows with its size, and a limit of bytes. A watchdog task
 * on {@link HttpRegistryAccess.Limits#watchdog()} closes a body that stalls or is overdue; no read blocks past either.
 */
final class BodyReader {

    /**
     * A blob read ends, however steadily its bytes trickle, after this many read timeouts plus its stated size at
     * {@link #MIN_BLOB_BYTES_PER_SECOND}: the pause timeout alone never ends a body that sends a byte per pause.
     */
    static final int BLOB_DEADLINE_READ_TIMEOUTS = 10;
    /** The slowest transfer a blob read waits for: a mirror slower than this is treated as unreachable. */
    static final long MIN_BLOB_BYTES_PER_SECOND = 256 * 1024;
    /** The longest a blob read may take, and the deadline of a blob whose descriptor states no size. */
    static final Duration MAX_BLOB_DEADLINE = Duration.ofHours(6);
    private static final int BUFFER_BYTES = 64 * 1024;
    private static final int READING = 0;
    private static final int DONE = 1;
    private static final int STALLED = 2;
    private static final int OVERDUE = 3;

    private final HttpRegistryAccess.Limits limits;

    BodyReader(HttpRegistryAccess.Limits limits) {
        this.limits = limits;
    }

    /** How long a body of this size (-1: none stated) may take to read; see {@link #BLOB_DEADLINE_READ_TIMEOUTS}. */
    Duration deadline(long size) {
        if (size < 0 || size / MIN_BLOB_BYTES_PER_SECOND >= MAX_BLOB_DEADLINE.toSeconds()) {
            return MAX_BLOB_DEADLINE;
        }
        Duration deadline = limits.readTimeout().multipliedBy(BLOB_DEADLINE_READ_TIMEOUTS)
                .plusSeconds(size / MIN_BLOB_BYTES_PER_SECOND)
                .plusNanos(size % MIN_BLOB_BYTES_PER_SECOND * 1_000_000_000L / MIN_BLOB_BYTES_PER_SECOND);
        return deadline.compareTo(MAX_BLOB_DEADLINE) > 0 ? MAX_BLOB_DEADLINE : deadline;
    }

    /**
     * {@link #read(InputStream, MessageDigest, OutputStream, long, Failure, Duration, String)} of a small answer (a
     * manifest, a tag list, a token) into a sink, through no digest: a longer one is {@link Failure#UNSUPPORTED}.
     * Whoever needs the digest of such an answer computes it from the bytes, once.
     *
     * @param what names the answer in error messages ({@code manifest host/repo:tag})
     */
    long read(InputStream body, OutputStream sink, long limit, String what) throws RegistryAccessException {
        return read(body, null, sink, limit, Failure.UNSUPPORTED, deadline(limit), what);
    }

    /**
     * Reads a body to its end into the digest and the sink, closing it if no byte arrives for the read timeout or
     * the whole body has not arrived by the deadline. A body read to its end is never reported as failed, however
     * late the watchdog looks at it.
     *
     * @param digest    what the bytes are hashed with; null for none
     * @param limit     the most bytes the body may have
     * @param overLimit the failure of a body longer than {@code limit}
     * @param deadline  how long the whole body may take ({@link #deadline})
     * @param what      names the body in error messages ({@code blob host/repo@digest})
     * @return the number of bytes read
     * @throws RegistryAccessException {@code overLimit}; {@link Failure#UNREACHABLE} for a pause, the deadline or a
     *                                 broken connection
     */
    long read(InputStream body, MessageDigest digest, OutputStream sink, long limit, Failure overLimit,
            Duration deadline, String what) throws RegistryAccessException {
        LongSupplier clock = limits.nanoClock();
        long idleNanos = limits.readTimeout().toNanos();
        long start = clock.getAsLong();
        long deadlineNanos = deadline.toNanos();
        AtomicLong lastProgress = new AtomicLong(start);
        // READING until the body ends (DONE) or the watchdog closes it (STALLED, OVERDUE); whichever comes first.
        AtomicInteger state = new AtomicInteger(READING);
        long period = Math.max(1, limits.readTimeout().toMillis() / 4);
        ScheduledFuture<?> watch = limits.watchdog().scheduleAtFixedRate(() -> {
            long now = clock.getAsLong();
            if ((now - start > deadlineNanos && state.compareAndSet(READING, OVERDUE))
                    || (now - lastProgress.get() > idleNanos && state.compareAndSet(READING, STALLED))) {
                closeQuietly(body);
            }
        }, period, period, TimeUnit.MILLISECONDS);
        long total = 0;
        byte[] buffer = new byte[BUFFER_BYTES];
        try (body) {
            for (int read = body.read(buffer); read >= 0; read = body.read(buffer)) {
                lastProgress.set(clock.getAsLong());
                total += read;
                if (total > limit) {
                    throw new RegistryAccessException(overLimit, what + ": "
                            + (overLimit == Failure.INVALID_CONTENT ? "more than the " + limit
                                    + " bytes its descriptor states" : "larger than " + limit + " bytes"));
                }
                if (digest != null) {
                    digest.update(buffer, 0, read);
                }
                sink.write(buffer, 0, read);
            }
            watch.cancel(false);
            if (!state.compareAndSet(READING, DONE)) {
                // The watchdog closed the body and the stream reported an end rather than an error.
                throw new IOException("closed by the watchdog");
            }
            return total;
        } catch (IOException e) {
            int ended = state.get();
            throw Unreachable.because(what, ended == OVERDUE
                    ? "not read within " + deadline.toMillis() + " ms (" + total + " bytes arrived)"
                    : ended == STALLED
                    ? "no data for " + limits.readTimeout().toMillis() + " ms after " + total + " bytes"
                    : Unreachable.describe(e));
        } finally {
            watch.cancel(false);
        }
    }

    static void closeQuietly(InputStream body) {
        try {
            body.close();
        } catch (IOException e) {
            // the connection is gone either way
        }
    }
}

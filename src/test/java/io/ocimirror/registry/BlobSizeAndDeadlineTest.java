package io.ocimirror.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ocimirror.registry.RegistryAccessException.Failure;
import io.ocimirror.testing.registry.StubRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A blob's bytes are checked against its descriptor's size, and its read ends by a deadline even when the body never
 * pauses for the read timeout (a trickle), and when it pauses for the read timeout. Both run on an injected clock that
 * each thread moves on its own: the reading thread for the trickle, so the clock advances with the reads and a late
 * read cannot look like a pause; the watchdog thread for the pause, so the read timeout passes in a few of its
 * periods. The watchdog looks every quarter of the read timeout in real time, so the pause takes about 0.5 s of real
 * time with the 1 s read timeout here, not the read timeout itself.
 */
class BlobSizeAndDeadlineTest {

    private static final byte[] BLOB = "a layer of twenty-nine bytes.".getBytes(StandardCharsets.UTF_8);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(1);
    /** What each read moves the clock by in the trickle: a tenth of the read timeout, which is never reached. */
    private static final long CLOCK_STEP_PER_READ = Duration.ofMillis(100).toNanos();
    /** What each look of the watchdog moves the clock by in the pause: two looks pass the read timeout. */
    private static final long CLOCK_STEP_PER_LOOK = Duration.ofMillis(600).toNanos();
    private static final int TRICKLE_BYTES = 10_000;
    private static final int PAUSED_BLOB_BYTES = 100;
    private static final int BYTES_BEFORE_THE_PAUSE = 10;

    private final AtomicLong clock = new AtomicLong();
    private final AtomicInteger readerLooks = new AtomicInteger();
    private final CountDownLatch paused = new CountDownLatch(1);
    private volatile Thread reader;
    private volatile long readerStep;
    private volatile long watchdogStep;
    private StubRegistry mirror;
    private RegistryAccess access;

    @BeforeEach
    void start() throws RegistryAccessException {
        mirror = StubRegistry.start()
                .handle("/v2/library/app/blobs/", exchange -> StubRegistry.respond(exchange, 200, BLOB))
                .handle("/v2/library/trickle/blobs/", exchange -> {
                    exchange.sendResponseHeaders(200, TRICKLE_BYTES);
                    try (OutputStream body = exchange.getResponseBody()) {
                        for (int i = 0; i < TRICKLE_BYTES; i++) {
                            body.write('x');
                            body.flush();
                            TimeUnit.MILLISECONDS.sleep(2);
                        }
                    } catch (IOException | InterruptedException closedByTheClient) {
                        // the client gave up, as it should
                    }
                })
                .handle("/v2/library/paused/blobs/", exchange -> {
                    exchange.sendResponseHeaders(200, PAUSED_BLOB_BYTES);
                    try (OutputStream body = exchange.getResponseBody()) {
                        body.write(new byte[BYTES_BEFORE_THE_PAUSE]);
                        body.flush();
                        paused.await(10, TimeUnit.SECONDS);
                    } catch (IOException | InterruptedException closedByTheClient) {
                        // the client gave up, as it should
                    }
                });
        // The reading thread moves the clock by readerStep; the watchdog by watchdogStep, once a read has returned.
        LongSupplier steppedClock = () -> {
            if (Thread.currentThread() == reader) {
                readerLooks.incrementAndGet();
                return clock.addAndGet(readerStep);
            }
            return readerLooks.get() >= 2 ? clock.addAndGet(watchdogStep) : clock.get();
        };
        access = new RegistryAccessFactory(Duration.ofSeconds(2), READ_TIMEOUT, steppedClock).access(
                new RegistryAccessFactory.Endpoint(mirror.host(), true, Optional.empty(), false), Optional.empty());
    }

    @AfterEach
    void stop() {
        paused.countDown();
        mirror.close();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("statedSizes")
    void checksTheBytesAgainstTheStatedSize(String name, long statedSize, Optional<String> refusal) throws Exception {
        if (refusal.isEmpty()) {
            assertEquals(BLOB.length, access.blob("library/app", digest(BLOB), statedSize));
            return;
        }
        RegistryAccessException refused = assertThrows(RegistryAccessException.class,
                () -> access.blob("library/app", digest(BLOB), statedSize));

        assertEquals(Failure.INVALID_CONTENT, refused.failure());
        assertTrue(refused.getMessage().contains(refusal.get()), refused.getMessage());
    }

    static Stream<Arguments> statedSizes() {
        return Stream.of(
                Arguments.of("the stated size", BLOB.length, Optional.empty()),
                Arguments.of("no size stated", -1L, Optional.empty()),
                Arguments.of("more bytes than stated", BLOB.length - 1L,
                        Optional.of("more than the 28 bytes its descriptor states")),
                Arguments.of("fewer bytes than stated", BLOB.length + 1L,
                        Optional.of("29 bytes, fewer than the 30 its descriptor states")),
                Arguments.of("bytes where the descriptor states none", 0L,
                        Optional.of("more than the 0 bytes its descriptor states")));
    }

    @Test
    void endsATrickleThatNeverPausesForTheReadTimeoutAtTheDeadline() {
        reader = Thread.currentThread();
        readerStep = CLOCK_STEP_PER_READ;

        RegistryAccessException refused = assertThrows(RegistryAccessException.class,
                () -> access.blob("library/trickle", digest(new byte[0]), TRICKLE_BYTES));

        assertEquals(Failure.UNREACHABLE, refused.failure());
        long deadlineMillis = READ_TIMEOUT.multipliedBy(BodyReader.BLOB_DEADLINE_READ_TIMEOUTS).toMillis()
                + TRICKLE_BYTES * 1000L / BodyReader.MIN_BLOB_BYTES_PER_SECOND;
        assertTrue(refused.getMessage().contains("not read within " + deadlineMillis + " ms"), refused.getMessage());
    }

    @Test
    void endsABodyThatPausesForTheReadTimeout() {
        reader = Thread.currentThread();
        watchdogStep = CLOCK_STEP_PER_LOOK;

        RegistryAccessException refused = assertThrows(RegistryAccessException.class,
                () -> access.blob("library/paused", digest(new byte[PAUSED_BLOB_BYTES]), PAUSED_BLOB_BYTES));

        assertEquals(Failure.UNREACHABLE, refused.failure());
        assertTrue(refused.getMessage().endsWith(": no data for " + READ_TIMEOUT.toMillis() + " ms after "
                + BYTES_BEFORE_THE_PAUSE + " bytes"), refused.getMessage());
    }

    private static String digest(byte[] content) throws Exception {
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    }
}

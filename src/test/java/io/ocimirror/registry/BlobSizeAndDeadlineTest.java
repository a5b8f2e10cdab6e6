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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A blob's bytes are checked against its descriptor's size, and its read ends by a deadline even when the body never
 * pauses for the read timeout (a trickle). The trickle advances an injected clock, so the deadline passes in a
 * fraction of a second of real time.
 */
class BlobSizeAndDeadlineTest {

    private static final byte[] BLOB = "a layer of twenty-nine bytes.".getBytes(StandardCharsets.UTF_8);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(1);
    /** Far below the read timeout, so the trickle never pauses long enough for it. */
    private static final long CLOCK_STEP_PER_BYTE = Duration.ofMillis(250).toNanos();
    private static final int TRICKLE_BYTES = 10_000;

    private final AtomicLong clock = new AtomicLong();
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
                            clock.addAndGet(CLOCK_STEP_PER_BYTE);
                            body.write('x');
                            body.flush();
                            TimeUnit.MILLISECONDS.sleep(2);
                        }
                    } catch (IOException | InterruptedException closedByTheClient) {
                        // the client gave up, as it should
                    }
                });
        access = new RegistryAccessFactory(Duration.ofSeconds(2), READ_TIMEOUT, clock::get).access(
                new RegistryAccessFactory.Endpoint(mirror.host(), true, Optional.empty(), false), Optional.empty());
    }

    @AfterEach
    void stop() {
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
        long started = System.nanoTime();

        RegistryAccessException refused = assertThrows(RegistryAccessException.class,
                () -> access.blob("library/trickle", digest(new byte[0]), TRICKLE_BYTES));

        assertEquals(Failure.UNREACHABLE, refused.failure());
        long deadlineMillis = READ_TIMEOUT.multipliedBy(BodyReader.BLOB_DEADLINE_READ_TIMEOUTS).toMillis()
                + TRICKLE_BYTES * 1000L / BodyReader.MIN_BLOB_BYTES_PER_SECOND;
        assertTrue(refused.getMessage().contains("not read within " + deadlineMillis + " ms"), refused.getMessage());
        assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(Duration.ofSeconds(2)) < 0,
                "the deadline is on the injected clock");
    }

    private static String digest(byte[] content) throws Exception {
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    }
}

package io.ocimirror.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Why a connection failed, from the exceptions the JDK client throws. The JDK 17 client reports a refused connection
 * to 127.0.0.1 as a {@link ConnectException} without message around another one without message, caused by a
 * {@link ClosedChannelException}: no message is taken for a refusal.
 */
class UnreachableTest {

    static Stream<Arguments> failures() {
        return Stream.of(
                Arguments.of("the JDK 17 client's refusal", wrapped(new ConnectException()), "connection refused"),
                Arguments.of("a refusal that says so", wrapped(new ConnectException("Connection refused")),
                        "connection refused"),
                Arguments.of("no route", wrapped(new ConnectException("No route to host")),
                        "connection failed: No route to host"),
                Arguments.of("no network", new ConnectException("Network is unreachable"),
                        "connection failed: Network is unreachable"),
                Arguments.of("another failure", new IOException("stream reset"), "IOException: stream reset"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failures")
    void namesTheFailure(String name, IOException error, String described) {
        assertEquals(described, Unreachable.describe(error));
    }

    /** As the JDK client wraps: its own ConnectException without message around the cause. */
    private static IOException wrapped(ConnectException cause) {
        ConnectException outer = new ConnectException();
        outer.initCause(cause);
        cause.initCause(new ClosedChannelException());
        return outer;
    }
}

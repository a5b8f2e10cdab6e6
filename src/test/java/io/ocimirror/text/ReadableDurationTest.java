package io.ocimirror.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ReadableDurationTest {

    static Stream<Arguments> durations() {
        return Stream.of(
                // duration, as written
                Arguments.of(Duration.ZERO, "0s"),
                Arguments.of(Duration.ofNanos(50_000), "50us"),
                Arguments.of(Duration.ofMillis(250), "250ms"),
                Arguments.of(Duration.ofSeconds(1), "1s"),
                Arguments.of(Duration.ofMillis(1_500), "1.5s"),
                Arguments.of(Duration.ofMillis(2_250), "2.25s"),
                Arguments.of(Duration.ofMillis(3_007), "3.007s"),
                Arguments.of(Duration.ofSeconds(30), "30s"),
                Arguments.of(Duration.ofMinutes(1), "1m"),
                Arguments.of(Duration.ofSeconds(90), "1m30s"),
                Arguments.of(Duration.ofMinutes(10), "10m"),
                Arguments.of(Duration.ofMinutes(90), "1h30m"),
                Arguments.of(Duration.ofHours(24), "24h"),
                Arguments.of(Duration.ofHours(1).plusSeconds(1), "1h1s"),
                Arguments.of(Duration.ofSeconds(-90), "-1m30s"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("durations")
    void writesDurationsAsPeopleReadThem(Duration duration, String expected) {
        assertEquals(expected, ReadableDuration.format(duration));
    }
}

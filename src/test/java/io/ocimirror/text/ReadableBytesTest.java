package io.ocimirror.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ReadableBytesTest {

    static Stream<Arguments> counts() {
        return Stream.of(
                // case, bytes, text
                Arguments.of("zero", 0L, "0 B"),
                Arguments.of("below a KiB", 1023L, "1023 B"),
                Arguments.of("one KiB", 1024L, "1.0 KiB"),
                Arguments.of("a layer", 28_626_432L, "27.3 MiB"),
                Arguments.of("a large image", 3L * 1024 * 1024 * 1024 + 512L * 1024 * 1024, "3.5 GiB"),
                Arguments.of("beyond the largest unit", 5000L * 1024 * 1024 * 1024 * 1024, "5000.0 TiB"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("counts")
    void formats(String name, long bytes, String text) {
        assertEquals(text, ReadableBytes.format(bytes));
    }
}

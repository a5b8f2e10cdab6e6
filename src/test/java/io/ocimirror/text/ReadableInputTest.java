package io.ocimirror.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Control characters become {@code ?}; a long value is cut on a code point boundary, with {@code ...} after it. */
class ReadableInputTest {

    @ParameterizedTest(name = "{0}")
    @MethodSource("values")
    void showsAValueSafelyAndBounded(String name, String value, String shown) {
        assertEquals(shown, ReadableInput.of(value, 5));
    }

    static Stream<Arguments> values() {
        return Stream.of(
                Arguments.of("short and plain", "nginx", "nginx"),
                Arguments.of("a line break and an escape", "a\nb\u001b[", "a?b?["),
                Arguments.of("a DEL and a C1 control", "a\u007fb\u0085", "a?b?"),
                Arguments.of("cut after five code points", "abcdefgh", "abcde..."),
                Arguments.of("a surrogate pair is never split", "abcd\uD83D\uDE00xyz", "abcd\uD83D\uDE00..."),
                Arguments.of("empty", "", ""));
    }
}

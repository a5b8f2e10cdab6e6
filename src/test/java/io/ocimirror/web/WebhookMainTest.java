package io.ocimirror.web;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The command line: which arguments are answered before the server starts, with which status and text. */
class WebhookMainTest {

    static Stream<Arguments> commandLines() {
        return Stream.of(
                // case, arguments, exit status (empty: the server runs), stdout starts with, stderr contains
                Arguments.of("no arguments", List.of(), OptionalInt.empty(), "", ""),
                Arguments.of("run", List.of("run"), OptionalInt.empty(), "", ""),
                Arguments.of("--help", List.of("--help"), OptionalInt.of(0), "usage: java -jar quarkus-run.jar [COMMAND]", ""),
                Arguments.of("-h", List.of("-h"), OptionalInt.of(0), "usage: java -jar quarkus-run.jar [COMMAND]", ""),
                Arguments.of("run --help", List.of("run", "--help"), OptionalInt.of(0), "usage: java -jar quarkus-run.jar [COMMAND]", ""),
                Arguments.of("validate --help", List.of("validate", "--help"), OptionalInt.of(0), ConfigurationCheck.USAGE_LINE, ""),
                Arguments.of("explain -h", List.of("explain", "-h"), OptionalInt.of(0), ExplainCommand.USAGE_LINE, ""),
                Arguments.of("an unknown command", List.of("valdate", "x.yaml"), OptionalInt.of(2), "",
                        "unknown command \"valdate\""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("commandLines")
    void answersBeforeTheServerStarts(String name, List<String> arguments, OptionalInt status, String out,
            String err) {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();

        OptionalInt exit = WebhookMain.command(arguments, print(stdout), print(stderr));

        assertAll(
                () -> assertEquals(status, exit),
                () -> assertTrue(stdout.toString(StandardCharsets.UTF_8).startsWith(out), stdout::toString),
                () -> assertTrue(stderr.toString(StandardCharsets.UTF_8).contains(err), stderr::toString));
    }

    private static PrintStream print(ByteArrayOutputStream stream) {
        return new PrintStream(stream, true, StandardCharsets.UTF_8);
    }
}

package io.ocimirror.web;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code validate [--organization] FILE}: exit status and the line it prints, for valid, invalid and unreadable files. */
class ConfigurationCheckTest {

    @TempDir
    Path directory;

    static Stream<Arguments> files() {
        return Stream.of(
                // case, file content (null: no file), exit status, the printed line contains
                Arguments.of("the example", null, 0, "valid: 4 mirrors"),
                Arguments.of("no mirrors", "registryMirrors: {}\n", 0, "valid: no mirrors"),
                Arguments.of("misspelt key", "registryMirrors: {docker.io: {basedomain: m.io}}\n", 1,
                        "invalid: registryMirrors.docker.io.basedomain: unknown key"),
                Arguments.of("not YAML", "registryMirrors: [\n", 1, "invalid: not valid YAML"),
                Arguments.of("missing file", "", 1, "cannot be read"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void exitsWithTheStatusAndNamesTheKey(String name, String content, int status, String message) throws IOException {
        Path file = content == null ? Path.of("examples", "mirror-config.yaml") : directory.resolve("config.yaml");
        if (content != null && !content.isEmpty()) {
            Files.writeString(file, content);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = new ConfigurationCheck(print(out), print(err)).run(List.of(file.toString()));
        String printed = out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
        assertAll(
                () -> assertEquals(status, exit, printed),
                () -> assertTrue(printed.startsWith(file + ": "), "names the file: " + printed),
                () -> assertTrue(printed.contains(message), printed),
                () -> assertEquals(status == 0, err.size() == 0, "errors go to stderr: " + printed));
    }

    static Stream<Arguments> organizationFiles() {
        return Stream.of(
                // case, file content, exit status, the printed line contains
                Arguments.of("misspelt key", "registryMirrors: {docker.io: {baseDomain: m.io, basedomain: x}}\n", 0,
                        "valid: 1 mirrors (docker.io); keys ignored as Greenhouse ignores them: "
                                + "registryMirrors.docker.io.basedomain"),
                Arguments.of("no unknown key", "registryMirrors: {docker.io: {baseDomain: m.io}}\n", 0,
                        "valid: 1 mirrors (docker.io)"),
                Arguments.of("a bad value", "registryMirrors: {docker.io: {baseDomain: \"m io\"}}\n", 1,
                        "invalid: registryMirrors.docker.io.baseDomain"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("organizationFiles")
    void readsAnOrganizationsConfigurationAsTheWebhookDoes(String name, String content, int status, String message)
            throws IOException {
        Path file = directory.resolve("organization.yaml");
        Files.writeString(file, content);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int exit = new ConfigurationCheck(print(out), print(err)).run(List.of("--organization", file.toString()));

        String printed = out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
        assertAll(
                () -> assertEquals(status, exit, printed),
                () -> assertTrue(printed.contains(message), printed));
    }

    @ParameterizedTest(name = "{0} arguments")
    @MethodSource("wrongArguments")
    void wrongArgumentsPrintUsage(int count, List<String> arguments) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(2, new ConfigurationCheck(print(new ByteArrayOutputStream()), print(err)).run(arguments));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("usage: "));
    }

    static Stream<Arguments> wrongArguments() {
        return Stream.of(Arguments.of(0, List.of()), Arguments.of(2, List.of("a.yaml", "b.yaml")),
                Arguments.of(1, List.of("--organization")));
    }

    private static PrintStream print(ByteArrayOutputStream stream) {
        return new PrintStream(stream, true, StandardCharsets.UTF_8);
    }
}

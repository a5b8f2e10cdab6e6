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
                Arguments.of("missing file", "", 1, "cannot be read"),
                Arguments.of("several documents", "registryMirrors: {}\n---\nregistryMirrors: {docker.io: {baseDomain: m.io}}\n",
                        1, "invalid: several YAML documents: a second starts at line 3"),
                Arguments.of("a trailing document separator", "registryMirrors: {}\n---\n", 0, "valid: no mirrors"),
                Arguments.of("duplicate key", "registryMirrors:\n  docker.io: {baseDomain: m.io}\n  docker.io: {baseDomain: n.io}\n",
                        1, "invalid: not valid YAML: Duplicate field 'docker.io' (line 3, column"),
                Arguments.of("caFile missing",
                        "registryMirrors: {quay.io: {baseDomain: m.io, caFile: /nonexistent/ca.crt}}\n", 1,
                        "invalid: registryMirrors.quay.io.caFile: /nonexistent/ca.crt does not exist or cannot be read;"
                                + " replication to m.io would fail"),
                Arguments.of("caFile present",
                        "registryMirrors: {quay.io: {baseDomain: m.io, caFile: CA_FILE}}\n", 0, "valid: 1 mirrors"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void exitsWithTheStatusAndNamesTheKey(String name, String content, int status, String message) throws IOException {
        Path file = content == null ? Path.of("examples", "mirror-config.yaml") : directory.resolve("config.yaml");
        if (content != null && !content.isEmpty()) {
            Path ca = Files.writeString(directory.resolve("ca.crt"), "");
            Files.writeString(file, content.replace("CA_FILE", ca.toAbsolutePath().toString()));
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

    @ParameterizedTest(name = "{0}")
    @MethodSource("helpArguments")
    void helpPrintsTheUsageAndExitsZero(String name, List<String> arguments) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int exit = new ConfigurationCheck(print(out), print(err)).run(arguments);

        assertAll(
                () -> assertEquals(0, exit),
                () -> assertTrue(out.toString(StandardCharsets.UTF_8).startsWith(ConfigurationCheck.USAGE_LINE)),
                () -> assertEquals(0, err.size(), "nothing on stderr, no file read"));
    }

    static Stream<Arguments> helpArguments() {
        return Stream.of(
                // case, the arguments after validate
                Arguments.of("--help", List.of("--help")),
                Arguments.of("-h", List.of("-h")),
                Arguments.of("--help after --organization", List.of("--organization", "--help")));
    }

    private static PrintStream print(ByteArrayOutputStream stream) {
        return new PrintStream(stream, true, StandardCharsets.UTF_8);
    }
}

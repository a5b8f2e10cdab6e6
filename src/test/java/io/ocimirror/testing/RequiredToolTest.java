package io.ocimirror.testing;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A missing tool fails a test with its install line; the README's test command installs what it can. */
class RequiredToolTest {

    private static final Path TEST_SCRIPT = Path.of("test.sh");
    private static final Pattern PACKAGES = Pattern.compile("(?m)^packages=\\(([^)]*)\\)");
    private static final Pattern FENCED_SHELL = Pattern.compile("(?s)```sh\\n(.*?)```");

    static Stream<Arguments> tools() {
        return Arrays.stream(RequiredTool.values()).map(tool -> Arguments.of(tool.program(), tool));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tools")
    void missingToolFailsWithItsInstallLine(String program, RequiredTool tool, @TempDir Path emptyDirectory) {
        AssertionError missing = assertThrows(AssertionError.class, () -> tool.path(emptyDirectory.toString()));
        assertAll(
                () -> assertTrue(missing.getMessage().startsWith(program + " is needed"), missing.getMessage()),
                () -> assertTrue(missing.getMessage().contains(tool.installLine()), missing.getMessage()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tools")
    void testScriptInstallsTheToolsDebianPackage(String program, RequiredTool tool) throws IOException {
        String script = Files.readString(TEST_SCRIPT);
        Matcher packages = PACKAGES.matcher(script);
        assertTrue(packages.find(), "test.sh has a packages=(...) line");
        List<String> installed = List.of(packages.group(1).trim().split("\\s+"));
        tool.debianPackage().ifPresentOrElse(
                debian -> assertTrue(installed.contains(debian), "test.sh installs " + debian + ": " + installed),
                () -> assertTrue(script.contains("command -v " + program),
                        "test.sh checks for " + program));
    }

    @Test
    void readmeRunsTheTestScriptWhichRunsMavenAndCiRunsIt() throws IOException {
        String script = Files.readString(TEST_SCRIPT);
        List<String> ciRun = Files.readAllLines(Path.of(".ci", "run"));
        Matcher firstTestCommand = FENCED_SHELL.matcher(Files.readString(Path.of("README.md")));
        boolean found = false;
        while (!found && firstTestCommand.find()) {
            found = firstTestCommand.group(1).contains("test");
        }
        boolean readmeRunsScript = found && firstTestCommand.group(1).strip().equals("./test.sh");
        assertAll(
                () -> assertTrue(readmeRunsScript, "the README's fenced test command is ./test.sh"),
                () -> assertTrue(script.contains("./mvnw -B verify"), "test.sh runs ./mvnw -B verify"),
                () -> assertTrue(Files.isExecutable(TEST_SCRIPT), "test.sh is executable"),
                () -> assertEquals(1, ciRun.stream()
                        .filter(line -> line.strip().equals("./test.sh")).count(), ".ci/run runs ./test.sh"));
    }
}

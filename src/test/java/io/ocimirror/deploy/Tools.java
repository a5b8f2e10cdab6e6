package io.ocimirror.deploy;

import io.ocimirror.testing.RequiredTool;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Runs the command-line tools these tests need (kubectl, openssl, promtool, bash), with bounded waits. */
final class Tools {

    /** Long enough for kubectl kustomize or an openssl key generation on a loaded 2-core machine. */
    private static final long TIMEOUT_SECONDS = 60;

    private Tools() {
    }

    record Result(List<String> command, int exitCode, String stdout, String stderr) {

        String stdoutOrFail() {
            if (exitCode != 0) {
                throw new AssertionError(String.join(" ", command) + " exited with " + exitCode + ":\n" + stderr
                        + stdout);
            }
            return stdout;
        }

        String output() {
            return stdout + stderr;
        }
    }

    static String kubectl() {
        return RequiredTool.KUBECTL.path().toString();
    }

    static String openssl() {
        return RequiredTool.OPENSSL.path().toString();
    }

    static Optional<Path> onPath(String tool) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, tool))
                .filter(Files::isExecutable)
                .findFirst();
    }

    /**
     * A directory to use as the only PATH entry: links to every program on the current PATH except the ones
     * named, so a test can show how a script behaves without them.
     */
    static Path pathWithout(Path directory, Set<String> missing) {
        try {
            if (Files.exists(directory)) {
                try (Stream<Path> old = Files.list(directory)) {
                    for (Path link : (Iterable<Path>) old::iterator) {
                        Files.delete(link);
                    }
                }
            }
            Files.createDirectories(directory);
            for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
                Path source = Path.of(dir);
                if (dir.isEmpty() || !Files.isDirectory(source)) {
                    continue;
                }
                try (Stream<Path> programs = Files.list(source)) {
                    for (Path program : (Iterable<Path>) programs::iterator) {
                        String name = program.getFileName().toString();
                        Path link = directory.resolve(name);
                        if (!missing.contains(name) && Files.isExecutable(program) && !Files.exists(link,
                                java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                            Files.createSymbolicLink(link, program.toAbsolutePath());
                        }
                    }
                }
            }
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + directory, e);
        }
    }

    static Result run(List<String> command, Map<String, String> environment) {
        return run(command, environment, null);
    }

    static Result run(List<String> command, Map<String, String> environment, Path workingDirectory) {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        if (workingDirectory != null) {
            builder.directory(workingDirectory.toFile());
        }
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command.get(0) + ": " + e.getMessage(), e);
        }
        try {
            // Nothing is sent to the tools; a closed stdin makes one that reads it see end of input at once.
            process.getOutputStream().close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        CompletableFuture<String> stdout = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
        CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
        try {
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish within " + TIMEOUT_SECONDS + " s");
            }
            return new Result(List.copyOf(command), process.exitValue(), stdout.get(10, TimeUnit.SECONDS),
                    stderr.get(10, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new AssertionError("interrupted while running " + command.get(0), e);
        } catch (Exception e) {
            throw new AssertionError("cannot read the output of " + command.get(0), e);
        }
    }

    /** Environment for a child process with exactly this PATH. */
    static Map<String, String> pathOnly(Path directory) {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("PATH", directory.toAbsolutePath().toString());
        return environment;
    }

    static List<String> bash(Path script, String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(onPath("bash").orElseThrow(() -> new AssertionError("bash is not on PATH")).toString());
        command.add(script.toAbsolutePath().toString());
        command.addAll(List.of(arguments));
        return command;
    }

    private static String read(InputStream stream) {
        try {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

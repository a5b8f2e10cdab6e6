package io.ocimirror.replication;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Fetches batches of URLs with {@code curl}, one process a URL and at most {@code connections} at once
 * ({@code xargs -P}), the batches one after the other: either into {@code /dev/null} ({@link #timed}), or into
 * {@code sha256sum} ({@link #hashed}), checking every object against its digest and summing the CPU time of the
 * {@code curl} and {@code sha256sum} processes.
 *
 * <p>That CPU time is the Linux rusage of terminated children, which counts a process's CPU time to the microsecond
 * once its parent waited for it: each URL is fetched by a bash whose builtin {@code times} prints, as its second line,
 * the user and system time of the children it waited for, which are just that URL's {@code curl} and
 * {@code sha256sum} (bash forks both from the shell itself and runs {@code times} in the shell, not in a subshell).
 * The bash and {@code xargs} processes around them are not counted.
 */
final class CurlFetches {

    /**
     * {@code $1} the Accept header, {@code $2} the fetch's number, {@code $3} the URL; writes into {@code $OUT};
     * {@code $MAX_SECONDS} bounds the fetch.
     */
    private static final String FETCH_AND_HASH = """
            set -euo pipefail
            curl -fsS -m "$MAX_SECONDS" -H "Accept: $1" "$3" | sha256sum >"$OUT/$2.sum"
            times >"$OUT/$2.times"
            """;
    /** A line of {@code times}: user and system time, e.g. {@code 0m0.012s 0m0.004s}. */
    private static final Pattern TIMES = Pattern.compile("(\\d+)m([\\d.]+)s (\\d+)m([\\d.]+)s");

    /** URLs fetched with one Accept header. */
    record Batch(String accept, List<Fetch> fetches) {
    }

    /** A URL and the {@code sha256:} digest its content must have. */
    record Fetch(String url, String digest) {
    }

    /**
     * The wall time of all fetches and the CPU time of each fetch's {@code curl} and {@code sha256sum} processes.
     *
     * @param cpu one entry a fetch, in the order of the batches
     */
    record Figures(Duration time, List<Duration> cpu) {
    }

    private final int connections;
    private final Duration giveUpAfter;

    CurlFetches(int connections, Duration giveUpAfter) {
        this.connections = connections;
        this.giveUpAfter = giveUpAfter;
    }

    /** Fetches the batches into {@code /dev/null}; the wall time of all. */
    Duration timed(List<Batch> batches) throws IOException, InterruptedException {
        long start = System.nanoTime();
        for (Batch batch : batches) {
            // -m: a fetch that hangs ends with the phase rather than outliving it.
            xargs(List.of("-n", "1", "curl", "-fsS", "-m", String.valueOf(giveUpAfter.toSeconds()), "-o", "/dev/null",
                    "-H", "Accept: " + batch.accept()),
                    batch.fetches().stream().map(Fetch::url).collect(Collectors.joining("\n", "", "\n")), Map.of());
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /** Fetches the batches into {@code sha256sum}, checks every digest; the wall time and every fetch's CPU time. */
    Figures hashed(List<Batch> batches) throws IOException, InterruptedException {
        Path out = Files.createTempDirectory("curl-fetches");
        try {
            long start = System.nanoTime();
            int first = 0;
            for (Batch batch : batches) {
                StringBuilder arguments = new StringBuilder();
                for (int index = 0; index < batch.fetches().size(); index++) {
                    arguments.append(first + index).append('\n').append(batch.fetches().get(index).url()).append('\n');
                }
                xargs(List.of("-d", "\\n", "-n", "2", "bash", "-c", FETCH_AND_HASH, "fetch", batch.accept()),
                        arguments.toString(), Map.of("OUT", out.toString(), "MAX_SECONDS",
                                String.valueOf(giveUpAfter.toSeconds())));
                first += batch.fetches().size();
            }
            Duration time = Duration.ofNanos(System.nanoTime() - start);
            List<Fetch> all = batches.stream().flatMap(batch -> batch.fetches().stream()).toList();
            List<Duration> cpu = new ArrayList<>();
            for (int index = 0; index < all.size(); index++) {
                cpu.add(checked(all.get(index), out, index));
            }
            return new Figures(time, cpu);
        } finally {
            try (Stream<Path> files = Files.list(out)) {
                for (Path file : files.toList()) {
                    Files.delete(file);
                }
            }
            Files.delete(out);
        }
    }

    /** Runs {@code xargs -P connections} with these arguments on this input, waiting at most {@code giveUpAfter}. */
    private void xargs(List<String> arguments, String input, Map<String, String> environment)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("xargs", "-P", String.valueOf(connections)));
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.INHERIT).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().putAll(environment);
        Process process = builder.start();
        process.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        if (!process.waitFor(giveUpAfter.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("curl did not end within " + giveUpAfter);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("curl failed: exit " + process.exitValue());
        }
    }

    /** The CPU time of one fetch, after checking its content had the expected digest. */
    private static Duration checked(Fetch fetch, Path out, int index) throws IOException {
        String sum = Files.readString(out.resolve(index + ".sum")).split(" ", 2)[0];
        if (!fetch.digest().equals("sha256:" + sum)) {
            throw new IllegalStateException(fetch.url() + " answered content of sha256:" + sum + ", not "
                    + fetch.digest());
        }
        List<String> times = Files.readAllLines(out.resolve(index + ".times"));
        Matcher children = times.size() == 2 ? TIMES.matcher(times.get(1)) : null;
        if (children == null || !children.matches()) {
            throw new IllegalStateException("unexpected output of times: " + times);
        }
        return Duration.ofNanos(nanos(children.group(1), children.group(2)) + nanos(children.group(3),
                children.group(4)));
    }

    private static long nanos(String minutes, String seconds) {
        return Math.round((Long.parseLong(minutes) * 60 + Double.parseDouble(seconds)) * 1e9);
    }
}

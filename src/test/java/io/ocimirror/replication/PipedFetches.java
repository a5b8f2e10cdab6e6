package io.ocimirror.replication;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fetches URLs with {@code curl | sha256sum}, one pipeline a URL and at most {@code connections} at once
 * ({@code xargs -P}), checks every fetched object against its {@code sha256:} digest and sums the CPU time of the
 * {@code curl} and {@code sha256sum} processes.
 *
 * <p>The CPU time is read from the Linux rusage of terminated children, which counts a process's CPU time to the
 * microsecond once its parent waited for it: each URL is fetched by a bash whose builtin {@code times} prints, as
 * its second line, the user and system time of the children it waited for, which are just that URL's {@code curl}
 * and {@code sha256sum} (bash forks them from the shell itself and runs {@code times} in the shell, not a
 * subshell). The bash and {@code xargs} processes around them are not counted.
 */
final class PipedFetches {

    /** One URL's fetch: {@code $1} the index, {@code $2} the Accept header, {@code $3} the URL; writes to OUT. */
    private static final String FETCH = """
            set -euo pipefail
            curl -fsS -H "Accept: $2" "$3" | sha256sum >"$OUT/$1.sum"
            times >"$OUT/$1.times"
            """;
    /** A line of {@code times}: user and system time, e.g. {@code 0m0.012s 0m0.004s}. */
    private static final Pattern TIMES = Pattern.compile("(\\d+)m([\\d.]+)s (\\d+)m([\\d.]+)s");

    /** What to fetch: the URL, the Accept header, the {@code sha256:} digest its content must have. */
    record Fetch(String url, String accept, String digest) {
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

    PipedFetches(int connections, Duration giveUpAfter) {
        this.connections = connections;
        this.giveUpAfter = giveUpAfter;
    }

    /** Runs the batches one after the other (e.g. the manifests, then the blobs), each {@code connections} wide. */
    Figures run(List<List<Fetch>> batches) throws IOException, InterruptedException {
        Path out = Files.createTempDirectory("piped-fetches");
        try {
            long start = System.nanoTime();
            int first = 0;
            for (List<Fetch> batch : batches) {
                runBatch(batch, first, out);
                first += batch.size();
            }
            Duration time = Duration.ofNanos(System.nanoTime() - start);
            List<Fetch> all = batches.stream().flatMap(List::stream).toList();
            List<Duration> cpu = new ArrayList<>();
            for (int index = 0; index < all.size(); index++) {
                cpu.add(Duration.ofNanos(checked(all.get(index), out, index)));
            }
            return new Figures(time, cpu);
        } finally {
            try (var files = Files.list(out)) {
                for (Path file : files.toList()) {
                    Files.delete(file);
                }
            }
            Files.delete(out);
        }
    }

    /** Fetches a batch, its URLs numbered from {@code first} on. */
    private void runBatch(List<Fetch> batch, int first, Path out) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("xargs", "-d", "\\n", "-n", "3", "-P", String.valueOf(connections),
                "bash", "-c", FETCH, "fetch")
                .redirectError(ProcessBuilder.Redirect.INHERIT).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("OUT", out.toString());
        Process process = builder.start();
        StringBuilder arguments = new StringBuilder();
        for (int index = 0; index < batch.size(); index++) {
            Fetch fetch = batch.get(index);
            arguments.append(first + index).append('\n').append(fetch.accept()).append('\n').append(fetch.url())
                    .append('\n');
        }
        process.getOutputStream().write(arguments.toString().getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        if (!process.waitFor(giveUpAfter.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("curl | sha256sum did not end within " + giveUpAfter);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("curl | sha256sum failed: exit " + process.exitValue());
        }
    }

    /** The CPU nanoseconds of one fetch, after checking its content had the expected digest. */
    private static long checked(Fetch fetch, Path out, int index) throws IOException {
        String sum = Files.readString(out.resolve(index + ".sum")).split(" ", 2)[0];
        if (!fetch.digest().equals("sha256:" + sum)) {
            throw new IllegalStateException(fetch.url() + " answered content of sha256:" + sum + ", not "
                    + fetch.digest());
        }
        List<String> times = Files.readAllLines(out.resolve(index + ".times"));
        Matcher children = TIMES.matcher(times.get(1));
        if (!children.matches()) {
            throw new IllegalStateException("unexpected output of times: " + times);
        }
        return seconds(children.group(1), children.group(2)) + seconds(children.group(3), children.group(4));
    }

    private static long seconds(String minutes, String seconds) {
        return Math.round((Long.parseLong(minutes) * 60 + Double.parseDouble(seconds)) * 1e9);
    }
}

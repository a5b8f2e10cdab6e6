package io.ocimirror.replication;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The CPU time of this JVM's threads, Java and native alike (GC, JIT compilers), by thread name with its numbers
 * replaced, from Linux's {@code /proc/self/task/<tid>/schedstat} (nanoseconds on the CPU). A thread that ended between
 * two snapshots is not counted.
 */
final class ThreadCpu {

    private static final int GROUP_CHARACTERS = 14;

    private final Map<Long, Long> nanosByThread;
    private final Map<Long, String> groupByThread;

    private ThreadCpu(Map<Long, Long> nanosByThread, Map<Long, String> groupByThread) {
        this.nanosByThread = nanosByThread;
        this.groupByThread = groupByThread;
    }

    /** The CPU time of every thread alive now. */
    static ThreadCpu snapshot() throws IOException {
        Map<Long, Long> nanos = new HashMap<>();
        Map<Long, String> groups = new HashMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    long tid = Long.parseLong(task.getFileName().toString());
                    nanos.put(tid, Long.parseLong(Files.readString(task.resolve("schedstat")).split(" ", 2)[0]));
                    groups.put(tid, group(Files.readString(task.resolve("comm")).strip()));
                } catch (NoSuchFileException ended) {
                    // the thread ended while the directory was read
                }
            }
        }
        return new ThreadCpu(nanos, groups);
    }

    /**
     * A thread's name without its numbers, cut where Linux cuts the longest ({@code comm} holds 15 characters), so
     * that {@code HttpClient-9-SelectorManager} and {@code HttpClient-10-SelectorManager} fall together.
     */
    private static String group(String comm) {
        String group = comm.replaceAll("\\d+", "#");
        return group.length() > GROUP_CHARACTERS ? group.substring(0, GROUP_CHARACTERS) : group;
    }

    /** Milliseconds of CPU since {@code before}, by thread group, largest first; groups under 1 ms are left out. */
    String since(ThreadCpu before) {
        Map<String, Long> byGroup = new TreeMap<>();
        nanosByThread.forEach((tid, nanos) -> byGroup.merge(groupByThread.get(tid),
                nanos - before.nanosByThread.getOrDefault(tid, 0L), Long::sum));
        return byGroup.entrySet().stream().filter(entry -> entry.getValue() >= 1_000_000)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .map(entry -> entry.getKey() + " " + entry.getValue() / 1_000_000)
                .collect(Collectors.joining(", "));
    }
}

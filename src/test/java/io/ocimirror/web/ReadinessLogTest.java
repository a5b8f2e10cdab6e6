package io.ocimirror.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ocimirror.testing.LogCapture;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Readiness is logged when it changes, not on every probe. */
class ReadinessLogTest {

    private final LogCapture logs = LogCapture.install();

    @AfterEach
    void release() {
        Logger.getLogger("").removeHandler(logs);
    }

    /** One probe: whether it answered UP and what it found. */
    private record Probe(boolean ready, String state) {
    }

    static Stream<Arguments> probeSequences() {
        Probe rejected = new Probe(false, "mirror configuration missing; the latest update was rejected: x");
        Probe loaded = new Probe(true, "mirror configuration loaded, 4 mirrors");
        Probe other = new Probe(false, "mirror configuration missing; the latest update was rejected: y");
        return Stream.of(
                // case, the probes in order, the lines logged
                Arguments.of("rejected on every probe", List.of(rejected, rejected, rejected),
                        List.of("Not ready: " + rejected.state())),
                Arguments.of("rejected, then loaded, probed twice each", List.of(rejected, rejected, loaded, loaded),
                        List.of("Not ready: " + rejected.state(), "Ready: " + loaded.state())),
                Arguments.of("another rejection", List.of(rejected, other, other),
                        List.of("Not ready: " + rejected.state(), "Not ready: " + other.state())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("probeSequences")
    void logsAChangeOnce(String name, List<Probe> probes, List<String> lines) {
        ReadinessLog log = new ReadinessLog();

        probes.forEach(probe -> log.report(probe.ready(), probe.state()));

        assertEquals(lines, logs.containing("eady: "));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("probeSequences")
    void notReadyIsAWarning(String name, List<Probe> probes, List<String> lines) {
        ReadinessLog log = new ReadinessLog();

        probes.forEach(probe -> log.report(probe.ready(), probe.state()));

        assertEquals(lines.stream().filter(line -> line.startsWith("Not ready")).toList(),
                logs.atLeast(Level.WARNING).stream().filter(line -> line.contains("eady: ")).toList());
    }
}

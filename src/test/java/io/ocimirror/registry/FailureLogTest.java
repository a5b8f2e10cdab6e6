package io.ocimirror.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ocimirror.testing.LogCapture;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class FailureLogTest {

    private final AtomicLong nanos = new AtomicLong();
    private final FailureLog log = new FailureLog(Duration.ofSeconds(30), nanos::get);
    private final LogCapture capture = LogCapture.install();

    @Test
    void logsOneFailurePerHostPerIntervalAndCountsTheOthers() {
        for (int i = 0; i < 1_000; i++) {
            log.failed("dead.example.com", "manifest dead.example.com/app:1.0: connection refused #" + i);
            nanos.addAndGet(Duration.ofMillis(10).toNanos());
        }
        log.failed("other.example.com", "manifest other.example.com/app:1.0: HTTP 503");

        List<String> dead = capture.containing("dead.example.com");
        assertEquals(1, dead.size(), "1,000 failures in 10 s make one line: " + dead);
        assertEquals(1, capture.containing("other.example.com").size(), "each host has its own interval");

        nanos.addAndGet(Duration.ofSeconds(30).toNanos());
        log.failed("dead.example.com", "manifest dead.example.com/app:1.0: connection refused #last");
        assertEquals(List.of("Registry call failed: manifest dead.example.com/app:1.0: connection refused #last"
                + " (999 more failed calls to dead.example.com not logged)"),
                capture.containing("#last"));
    }
}

package io.ocimirror.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BackoffTest {

    @ParameterizedTest(name = "retry {0} with random {1}")
    @CsvSource({
            // retry, random value, expected milliseconds
            "1, 0.0, 500",
            "1, 0.999, 1000",
            "2, 0.0, 1000",
            "3, 0.5, 3000",
            "10, 0.0, 15000",
            "10, 0.999, 29985",
            "60, 0.0, 15000",
    })
    void doublesWithJitterUpToTheCap(int retry, double random, long expectedMillis) {
        Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), () -> random);

        assertEquals(Duration.ofMillis(expectedMillis), backoff.beforeRetry(retry));
    }
}

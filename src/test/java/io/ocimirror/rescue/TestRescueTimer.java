package io.ocimirror.rescue;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.time.Instant;

/** The {@link ManualTimer} as the application's rescue timer, in test profiles that enable it. */
@Alternative
@ApplicationScoped
public class TestRescueTimer extends ManualTimer {

    public TestRescueTimer() {
        super(Instant.parse("2026-01-01T10:00:00Z"));
    }
}

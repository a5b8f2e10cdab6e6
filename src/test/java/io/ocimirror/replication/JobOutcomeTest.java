package io.ocimirror.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The {@code outcome} label values are what dashboards and alerts match: they must not move with a rename. */
class JobOutcomeTest {

    @ParameterizedTest(name = "{0} is labelled {1}, gave up: {2}")
    @CsvSource({
            // outcome,        label,              gave up
            "SUCCEEDED,          succeeded,          false",
            "FAILED,             failed,             true",
            "DROPPED,            dropped,            false",
            "DISABLED,           disabled,           false",
            "MIRROR_UNAVAILABLE, mirror-unavailable, false",
            "RECENTLY_FAILED,    recently-failed,    false",
            "DEDUPLICATED,       deduplicated,       false",
            "NO_MATCHING_VERSION, no-matching-version, false",
    })
    void labelAndGiveUp(JobOutcome outcome, String label, boolean gaveUp) {
        assertEquals(label, outcome.label());
        assertEquals(gaveUp, outcome.gaveUp());
    }
}

package io.ocimirror.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HostLanesTest {

    /** Runs nothing by itself: the test decides when a task ends. */
    private final List<Runnable> started = new ArrayList<>();
    private final HostLanes lanes = new HostLanes(2, started::add);

    @Test
    void startsAtMostTheCapPerHostAndTheNextWhenOneEnds() {
        for (int i = 0; i < 5; i++) {
            lanes.submit("slow.example.com", () -> { });
        }
        lanes.submit("fast.example.com", () -> { });

        assertEquals(3, started.size(), "two for the slow host, one for the fast host");
        lanes.done("slow.example.com");
        assertEquals(4, started.size());
        lanes.done("slow.example.com");
        lanes.done("slow.example.com");
        assertEquals(6, started.size(), "all five of the slow host have started");
        lanes.done("slow.example.com");
        lanes.done("slow.example.com");
        lanes.submit("slow.example.com", () -> { });
        assertEquals(7, started.size(), "a drained lane starts new work at once");
    }
}

package io.ocimirror.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;

class HostLanesTest {

    /** Runs nothing by itself: the test decides when a task runs (and so ends). */
    private final List<Runnable> started = new ArrayList<>();
    private final List<String> ran = new ArrayList<>();
    private final List<String> rejected = new ArrayList<>();
    private final HostLanes<String> lanes = new HostLanes<>(2, started::add, ran::add, rejected::add);

    @Test
    void startsAtMostTheCapPerHostAndTheNextWhenOneEnds() {
        for (int i = 0; i < 5; i++) {
            lanes.submit("slow.example.com", "slow-" + i);
        }
        lanes.submit("fast.example.com", "fast");

        assertEquals(3, started.size(), "two for the slow host, one for the fast host");
        started.get(0).run();
        assertEquals(4, started.size());
        started.get(1).run();
        started.get(3).run();
        assertEquals(6, started.size(), "all five of the slow host have started");
        started.get(4).run();
        started.get(5).run();
        lanes.submit("slow.example.com", "slow-5");
        assertEquals(7, started.size(), "a drained lane starts new work at once");
        assertEquals(List.of("slow-0", "slow-1", "slow-2", "slow-3", "slow-4"), ran);
    }

    @Test
    void handsRejectedTasksAndTheirWaitingLaneToTheRejectionHandler() {
        List<Runnable> accepted = new ArrayList<>();
        boolean[] shutDown = {false};
        HostLanes<String> closing = new HostLanes<>(1, task -> {
            if (shutDown[0]) {
                throw new RejectedExecutionException("shut down");
            }
            accepted.add(task);
        }, ran::add, rejected::add);
        closing.submit("m.example.com", "first");
        closing.submit("m.example.com", "second");
        closing.submit("m.example.com", "third");
        shutDown[0] = true;

        accepted.get(0).run();

        assertEquals(List.of("first"), ran);
        assertEquals(List.of("second", "third"), rejected);
        closing.submit("m.example.com", "fourth");
        assertEquals(List.of("second", "third", "fourth"), rejected, "the lane is free again after the rejections");
    }
}

package io.ocimirror.informers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The latest-state handler passes the object as added, as it is after an update, and as it was when deleted. */
class InformersTest {

    @Test
    void passesTheLatestStateAndTheLastKnownOnDeletion() {
        List<String> calls = new ArrayList<>();
        ResourceEventHandler<String> handler = Informers.latestState(object -> calls.add("present " + object),
                object -> calls.add("gone " + object));

        handler.onAdd("v1");
        handler.onUpdate("v1", "v2");
        handler.onDelete("v2", false);
        handler.onDelete("v3", true);

        assertEquals(List.of("present v1", "present v2", "gone v2", "gone v3"), calls);
    }
}

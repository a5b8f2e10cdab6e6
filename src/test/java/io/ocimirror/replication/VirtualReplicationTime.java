package io.ocimirror.replication;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Set;

/**
 * The application's replication clock and retry timer are {@link TestReplicationTime}: a retry runs when the test
 * runs it, and a breaker's open period ends when the test advances the clock past it.
 */
public class VirtualReplicationTime implements QuarkusTestProfile {

    @Override
    public Set<Class<?>> getEnabledAlternatives() {
        return Set.of(TestReplicationTime.class);
    }
}

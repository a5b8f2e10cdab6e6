package io.ocimirror.replication;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

/**
 * {@link VirtualTime} as the application's replication time, in test profiles that enable it: retries wait until the
 * test runs them.
 */
@Alternative
@ApplicationScoped
class TestReplicationTime extends VirtualTime {
}

package io.ocimirror.rescue;

import java.util.Optional;

/** Whether this replica is the one that patches Pods now. */
interface Leadership {

    /** Read right before each patch: a replica that lost the Lease stops at once. */
    boolean leading();

    /** The identity holding the Lease, as last observed. */
    Optional<String> holder();
}

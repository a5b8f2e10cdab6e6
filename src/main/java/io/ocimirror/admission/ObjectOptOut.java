package io.ocimirror.admission;

import io.ocimirror.config.MirrorConfiguration;
import io.ocimirror.rewrite.RewriteOutcome.Skipped;
import java.util.Optional;

/**
 * The opt-outs that hold for a whole object of any kind: the annotation {@code oci-mirror.io/skip: "true"}, and the
 * configured namespace and owner exclusions. An object they leave out is admitted untouched, without a record of
 * decisions: an excluded object stays exactly as written.
 */
public final class ObjectOptOut {

    private ObjectOptOut() {
    }

    /**
     * @param request       the admission request, for the object and its namespace
     * @param configuration the snapshot whose exclusions apply
     * @return what leaves the object out, or empty when its references are to be decided one by one
     */
    public static Optional<Skipped.Reason> of(AdmissionRequest request, MirrorConfiguration configuration) {
        if (ObjectMetadata.skipRequested(request.object())) {
            return Optional.of(Skipped.Reason.OPT_OUT_ANNOTATION);
        }
        if (configuration.exclusions().namespaces().contains(request.namespace())) {
            return Optional.of(Skipped.Reason.NAMESPACE_EXCLUDED);
        }
        if (ObjectMetadata.ownerApiGroups(request.object()).stream()
                .anyMatch(configuration.exclusions().ownerApiGroups()::contains)) {
            return Optional.of(Skipped.Reason.OWNER_EXCLUDED);
        }
        return Optional.empty();
    }
}

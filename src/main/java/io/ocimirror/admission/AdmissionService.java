package io.ocimirror.admission;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.ocimirror.config.MirrorConfiguration;
import io.ocimirror.greenhouse.MirrorConfigurationRouter;
import io.ocimirror.rewrite.ReplicationScheduler;
import io.quarkus.arc.All;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Picks the handler for a request, applies the opt-outs that hold for every kind, and hands replication work on
 * unless the request is a dry run. Anything unexpected becomes an unchanged admission with a warning: this webhook
 * must never be the reason an object is rejected.
 */
@ApplicationScoped
public class AdmissionService {

    private static final Logger LOG = Logger.getLogger(AdmissionService.class);
    static final String ADMISSIONS_METRIC = "oci_mirror_admissions";
    static final String REWRITES_METRIC = "oci_mirror_rewrites";

    private final List<AdmissionHandler> handlers;
    private final MirrorConfigurationRouter configurations;
    private final ReplicationScheduler replication;
    private final MeterRegistry meters;
    private final JsonSelection objectParts;

    public AdmissionService(@All List<AdmissionHandler> handlers, MirrorConfigurationRouter configurations,
            ReplicationScheduler replication, MeterRegistry meters) {
        this.handlers = List.copyOf(handlers);
        this.configurations = configurations;
        this.replication = replication;
        this.meters = meters;
        this.objectParts = this.handlers.stream().map(AdmissionHandler::reads).reduce(ObjectMetadata.READS,
                JsonSelection::and);
    }

    /** The parts of the reviewed objects that the handlers and the opt-outs read. */
    public JsonSelection objectParts() {
        return objectParts;
    }

    public AdmissionOutcome admit(AdmissionRequest request) {
        Optional<AdmissionHandler> handler = handlers.stream().filter(h -> h.handles(request)).findFirst();
        String kind = handler.map(AdmissionHandler::kind).orElse("other");
        try {
            Optional<MirrorConfiguration> configuration =
                    configurations.forRequest(request.namespace(), request.group(), request.resource());
            if (handler.isEmpty() || configuration.isEmpty() || optedOut(request, configuration.get())) {
                count(kind, "skipped");
                return AdmissionOutcome.allowed();
            }
            AdmissionOutcome outcome = handler.get().handle(request, configuration.get());
            if (!request.dryRun()) {
                outcome.replications().forEach(replication::schedule);
            }
            count(kind, outcome.isPatched() ? "patched" : "unchanged");
            outcome.rewrittenRegistries().forEach(
                    registry -> meters.counter(REWRITES_METRIC, "mirror", registry).increment());
            return outcome;
        } catch (RuntimeException e) {
            LOG.errorf(e, "Admission of %s %s/%s failed; admitting it unchanged", request.resource(),
                    request.namespace(), request.object().path("metadata").path("name").asText(""));
            count(kind, "error");
            return AdmissionOutcome.allowedWithWarning(AdmissionEndpoint.INTERNAL_ERROR_WARNING);
        }
    }

    /** The skip annotation, and the configured namespace and owner exclusions. */
    private static boolean optedOut(AdmissionRequest request, MirrorConfiguration configuration) {
        JsonNode object = request.object();
        return ObjectMetadata.skipRequested(object)
                || configuration.exclusions().namespaces().contains(request.namespace())
                || ObjectMetadata.ownerApiGroups(object).stream()
                        .anyMatch(configuration.exclusions().ownerApiGroups()::contains);
    }

    private void count(String kind, String outcome) {
        meters.counter(ADMISSIONS_METRIC, "kind", kind, "outcome", outcome).increment();
    }
}

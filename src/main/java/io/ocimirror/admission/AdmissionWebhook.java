package io.ocimirror.admission;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.ocimirror.config.OwnedConfiguration;
import io.ocimirror.greenhouse.MirrorConfigurationRouter;
import io.ocimirror.rewrite.ReplicationScheduler;
import io.ocimirror.rewrite.RewriteMode;
import io.quarkus.arc.All;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * The webhook contract (Kubernetes "Dynamic Admission Control", {@code admission.k8s.io/v1}): decodes an
 * AdmissionReview, picks the handler for its request, applies the opt-outs that hold for every kind, hands
 * replication work on unless the request is a dry run, and encodes the answer. Whatever happens after the review was
 * read, the answer is an AdmissionReview with the request's uid that admits the object: this class holds the one
 * guard between a bug and a rejected object. HTTP (method, content type, body size) is the caller's.
 */
@ApplicationScoped
public class AdmissionWebhook {

    private static final Logger LOG = Logger.getLogger(AdmissionWebhook.class);
    static final String ADMISSIONS_METRIC = "oci_mirror_admissions";
    static final String REWRITES_METRIC = "oci_mirror_rewrites";
    static final String DECISIONS_METRIC = "oci_mirror_decisions";
    /** The outcomes of {@code oci_mirror_admissions_total} (README, "Operations"). */
    public static final List<String> OUTCOMES = List.of("patched", "unchanged", "skipped", "error");
    /** The kind of metrics and logs for a request no handler takes. */
    static final String OTHER = "other";
    static final String INTERNAL_ERROR_WARNING =
            "oci-mirror-webhook could not process this object and admitted it unchanged";

    /**
     * An HTTP status and a JSON body: 200 with an AdmissionReview, or a 4xx with {@code {"error": "...",
     * "status": N}} for a body that is not a usable AdmissionReview.
     */
    public record Reply(int status, byte[] body) {

        /** A rejected request: the JSON error body every client error gets. */
        public static Reply error(int status, String message) {
            return new Reply(status, AdmissionReviewCodec.error(status, message));
        }
    }

    private final List<AdmissionHandler> handlers;
    private final MirrorConfigurationRouter configurations;
    private final ReplicationScheduler replication;
    private final MeterRegistry meters;
    private final JsonSelection objectParts;
    private final AdmissionReviewCodec codec;

    public AdmissionWebhook(@All List<AdmissionHandler> handlers, MirrorConfigurationRouter configurations,
            ReplicationScheduler replication, MeterRegistry meters, ObjectMapper mapper) {
        this.handlers = List.copyOf(handlers);
        this.configurations = configurations;
        this.replication = replication;
        this.meters = meters;
        this.objectParts = this.handlers.stream().map(AdmissionHandler::reads).reduce(ObjectMetadata.READS,
                JsonSelection::and);
        this.codec = new AdmissionReviewCodec(mapper, objectParts);
    }

    /**
     * Answers one review.
     *
     * @param body the request body: a JSON {@code AdmissionReview}; never empty (the transport refuses that)
     * @return 200 with the response review, or 400 when the body is not a usable review; never throws
     */
    public Reply review(byte[] body) {
        return review(body, RewriteMode.ENFORCE);
    }

    /**
     * Answers one review in the given mode.
     *
     * @param body the request body: a JSON {@code AdmissionReview}; never empty (the transport refuses that)
     * @param mode whether rewrites are patched into objects, or only decided, recorded and warmed
     * @return 200 with the response review, or 400 when the body is not a usable review; never throws
     */
    public Reply review(byte[] body, RewriteMode mode) {
        AdmissionRequest request;
        try {
            request = codec.read(body);
        } catch (InvalidReviewException e) {
            return Reply.error(400, e.getMessage());
        }
        try {
            return new Reply(200, codec.write(request.uid(), admit(request, mode)));
        } catch (RuntimeException e) {
            LOG.errorf(e, "Admission review %s of %s %s/%s failed; admitting the object unchanged", request.uid(),
                    request.resource(), request.namespace(), request.object().path("metadata").path("name").asText(""));
            count(kindOf(request), "error");
            return new Reply(200, codec.write(request.uid(), AdmissionOutcome.allowedWithWarning(INTERNAL_ERROR_WARNING)));
        }
    }

    /** Creates every series of {@code oci_mirror_admissions_total} at zero, so that alerts see the first event. */
    void registerAtZero(@Observes StartupEvent startup) {
        Stream.concat(handlers.stream().map(AdmissionHandler::kind), Stream.of(OTHER))
                .forEach(kind -> OUTCOMES.forEach(outcome -> admissions(kind, outcome)));
    }

    /** The parts of the reviewed objects that the handlers and the opt-outs read. */
    public JsonSelection objectParts() {
        return objectParts;
    }

    /**
     * The outcome for one decoded request: the handler's, or an unchanged admission when no handler, no
     * configuration or an opt-out applies. Replication is scheduled here. Throws what a handler throws; {@link #review}
     * is the guard.
     */
    public AdmissionOutcome admit(AdmissionRequest request) {
        return admit(request, RewriteMode.ENFORCE);
    }

    /**
     * {@link #admit(AdmissionRequest)} in the given mode.
     *
     * @param mode whether rewrites are patched into the object, or only decided, recorded and warmed
     */
    public AdmissionOutcome admit(AdmissionRequest request, RewriteMode mode) {
        Optional<AdmissionHandler> handler = handlerOf(request);
        String kind = handler.map(AdmissionHandler::kind).orElse(OTHER);
        Optional<OwnedConfiguration> configuration =
                configurations.forRequest(request.namespace(), request.group(), request.resource());
        if (handler.isEmpty() || configuration.isEmpty()
                || ObjectOptOut.of(request, configuration.get().snapshot()).isPresent()) {
            count(kind, "skipped");
            return AdmissionOutcome.allowed();
        }
        AdmissionOutcome outcome = handler.get().handle(request, configuration.get(), mode);
        if (!request.dryRun()) {
            outcome.replications().forEach(replication::schedule);
        }
        count(kind, outcome.isPatched() ? "patched" : "unchanged");
        outcome.decisions().forEach(decision -> decisions(kind, decision.outcome().code()).increment());
        if (mode == RewriteMode.ENFORCE) {
            outcome.rewrittenRegistries().forEach(registry -> Counter.builder(REWRITES_METRIC)
                    .description("References rewritten to a mirror, by source registry")
                    .tag("source_registry", registry)
                    .register(meters)
                    .increment());
        }
        return outcome;
    }

    /** The request's kind for the error count; {@link #OTHER} even when choosing the handler is what failed. */
    private String kindOf(AdmissionRequest request) {
        try {
            return handlerOf(request).map(AdmissionHandler::kind).orElse(OTHER);
        } catch (RuntimeException e) {
            return OTHER;
        }
    }

    private Optional<AdmissionHandler> handlerOf(AdmissionRequest request) {
        return handlers.stream().filter(h -> h.handles(request)).findFirst();
    }

    private void count(String kind, String outcome) {
        admissions(kind, outcome).increment();
    }

    private Counter decisions(String kind, String decision) {
        return Counter.builder(DECISIONS_METRIC)
                .description("Decisions on references, in enforce and observe mode alike, by kind and decision code")
                .tags("kind", kind, "decision", decision)
                .register(meters);
    }

    private Counter admissions(String kind, String outcome) {
        return Counter.builder(ADMISSIONS_METRIC)
                .description("Admission reviews answered, by kind and outcome")
                .tags("kind", kind, "outcome", outcome)
                .register(meters);
    }
}

package io.ocimirror.web;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ocimirror.replication.EndedJob;
import io.ocimirror.replication.EndedJobs;
import io.ocimirror.replication.JobOutcome;
import io.ocimirror.replication.ReplicationQueue;
import io.quarkus.vertx.http.ManagementInterface;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Arrays;
import java.util.Optional;

/**
 * {@code GET /q/oci-mirror/replications[?outcome=LABEL&limit=N]} on the management port: the replication jobs that
 * ended last, newest first, each with its reference, mirror host, platforms, outcome, end time and bytes. At most
 * {@link EndedJobs#CAPACITY} are kept. An unknown outcome or a limit outside 1 to that capacity is a 400.
 */
@ApplicationScoped
public class ReplicationsEndpoint {

    static final String PATH = "/q/oci-mirror/replications";
    static final int DEFAULT_LIMIT = 100;

    private final ReplicationQueue queue;

    public ReplicationsEndpoint(ReplicationQueue queue) {
        this.queue = queue;
    }

    void register(@Observes ManagementInterface management) {
        management.router().get(PATH).handler(this::answer);
    }

    private void answer(RoutingContext context) {
        Optional<JobOutcome> outcome = Optional.empty();
        String label = context.request().getParam("outcome");
        if (label != null) {
            outcome = JobOutcome.ofLabel(label);
            if (outcome.isEmpty()) {
                ManagementReplies.badRequest(context, "unknown outcome '" + label + "'; one of "
                        + Arrays.stream(JobOutcome.values()).map(JobOutcome::label).toList());
                return;
            }
        }
        Optional<Integer> limit = limit(context.request().getParam("limit"));
        if (limit.isEmpty()) {
            ManagementReplies.badRequest(context, "limit must be a whole number from 1 to " + EndedJobs.CAPACITY);
            return;
        }
        ArrayNode jobs = JsonNodeFactory.instance.arrayNode();
        queue.endedJobs().newest(outcome, limit.get()).forEach(job -> jobs.add(toJson(job)));
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.set("jobs", jobs);
        ManagementReplies.ok(context, body);
    }

    /** The limit asked for, {@link #DEFAULT_LIMIT} when none is; empty when it is not a number in range. */
    private static Optional<Integer> limit(String parameter) {
        if (parameter == null) {
            return Optional.of(DEFAULT_LIMIT);
        }
        try {
            int limit = Integer.parseInt(parameter);
            return limit >= 1 && limit <= EndedJobs.CAPACITY ? Optional.of(limit) : Optional.empty();
        } catch (NumberFormatException notANumber) {
            return Optional.empty();
        }
    }

    /** One job as JSON; the explain endpoint shows a reference's last job the same way. */
    static ObjectNode toJson(EndedJob job) {
        ObjectNode json = JsonNodeFactory.instance.objectNode()
                .put("reference", job.reference())
                .put("mirrorHost", job.mirrorHost());
        job.platforms().forEach(json.putArray("platforms")::add);
        return json.put("outcome", job.outcome().label())
                .put("ended", job.ended().toString())
                .put("bytes", job.bytes());
    }
}

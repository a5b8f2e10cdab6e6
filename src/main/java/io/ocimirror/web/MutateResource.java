package io.ocimirror.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.ocimirror.admission.AdmissionEndpoint;
import io.ocimirror.admission.AdmissionService;
import io.quarkus.vertx.http.runtime.VertxHttpRecorder;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * {@code POST /mutate}: the HTTP binding of {@link AdmissionEndpoint}, a plain Vert.x route on the I/O thread. Nothing
 * on this path blocks or touches the network.
 *
 * <p>A route rather than a REST resource because the REST layer (resource matching, the body reader, the per-response
 * writer lookup) cost as much CPU per review as parsing it: measured with {@code bench/run.sh}, see
 * {@code bench/README.md}. Its answers are those the REST resource gave: other methods get a 405 and a Content-Type
 * that is not a media type a 415, both with the JSON error body.
 */
@ApplicationScoped
public class MutateResource {

    public static final String PATH = "/mutate";

    /** The REST layer's wording, kept so that clients see the same answer as before. */
    static final String INVALID_MEDIA_TYPE = "The content-type header value did not correspond to a valid media type";

    private final AdmissionEndpoint endpoint;
    private final Timer latency;

    public MutateResource(AdmissionService admission, ObjectMapper mapper, MeterRegistry meters) {
        this.endpoint = new AdmissionEndpoint(mapper, admission);
        this.latency = Timer.builder("oci_mirror_admission_duration")
                .description("Time to answer an admission review")
                .publishPercentileHistogram()
                .maximumExpectedValue(Duration.ofSeconds(1))
                .register(meters);
    }

    void register(@Observes Router router) {
        router.route(PATH).handler(this::handle);
    }

    private void handle(RoutingContext context) {
        HttpServerRequest request = context.request();
        if (request.method() != HttpMethod.POST) {
            context.response().putHeader(HttpHeaders.ALLOW, "POST");
            reply(context, AdmissionEndpoint.error(405, "HTTP 405 Method Not Allowed"));
            return;
        }
        String contentType = request.getHeader(HttpHeaders.CONTENT_TYPE);
        if (contentType != null && !isMediaType(contentType)) {
            reply(context, AdmissionEndpoint.error(415, INVALID_MEDIA_TYPE));
            return;
        }
        Body body = new Body(request.getHeader(HttpHeaders.CONTENT_LENGTH),
                context.get(VertxHttpRecorder.MAX_REQUEST_SIZE_KEY));
        request.handler(chunk -> {
            if (body.add(chunk) || context.response().ended()) {
                return;
            }
            // A chunked body over the transport's limit: refused as Quarkus refuses one with a Content-Length over it.
            context.response().putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE)
                    .endHandler(closed -> request.connection().close());
            reply(context, AdmissionEndpoint.error(413, "body is larger than the server accepts"));
        });
        request.endHandler(end -> {
            if (!context.response().ended()) {
                admit(context, contentType, body.kept);
            }
        });
        request.exceptionHandler(failure -> {
            // A client that goes away mid-body, or a body refused above, leaves no one to answer.
            if (!context.response().ended() && !context.response().closed()) {
                context.fail(failure);
            }
        });
        // Quarkus pauses each request until a handler is ready for its body.
        request.resume();
    }

    /**
     * A request body as it arrives. Keeps just over {@link AdmissionEndpoint#MAX_BODY_BYTES}, enough for the endpoint
     * to refuse a larger one, and counts the rest against the transport's limit.
     */
    private static final class Body {

        /** Quarkus's {@code quarkus.http.limits.max-body-size}, set by Quarkus for requests without a Content-Length. */
        private final Long transportLimit;
        private final Buffer kept;
        private long received;

        /**
         * Most reviews are a few dozen KiB: the buffer starts at the announced length up to this, so it is not regrown
         * chunk by chunk; a client cannot make it allocate more by announcing a length it does not send.
         */
        private static final int MAX_INITIAL_CAPACITY = 64 * 1024;

        /** @param contentLength the Content-Length header, if any */
        Body(String contentLength, Long transportLimit) {
            this.transportLimit = transportLimit;
            this.kept = Buffer.buffer(initialCapacity(contentLength));
        }

        private static int initialCapacity(String contentLength) {
            try {
                long length = contentLength == null ? 0 : Long.parseLong(contentLength);
                return (int) Math.max(0, Math.min(length, MAX_INITIAL_CAPACITY));
            } catch (NumberFormatException e) {
                return 0;
            }
        }

        /** @return false once the body is over the transport's limit */
        boolean add(Buffer chunk) {
            received += chunk.length();
            if (kept.length() <= AdmissionEndpoint.MAX_BODY_BYTES) {
                kept.appendBuffer(chunk);
            }
            return transportLimit == null || received <= transportLimit;
        }
    }

    private void admit(RoutingContext context, String contentType, Buffer body) {
        long start = System.nanoTime();
        try {
            reply(context, endpoint.handle(contentType, body.getBytes()));
        } finally {
            latency.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }

    private static void reply(RoutingContext context, AdmissionEndpoint.Reply reply) {
        context.response()
                .setStatusCode(reply.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(Buffer.buffer(reply.body()));
    }

    private static boolean isMediaType(String contentType) {
        try {
            MediaType.valueOf(contentType);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}

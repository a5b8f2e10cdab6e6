package io.ocimirror.web;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.ocimirror.admission.AdmissionWebhook.Reply;
import io.ocimirror.admission.AdmissionWebhook;
import io.ocimirror.rewrite.RewriteMode;
import io.ocimirror.settings.WebhookSettings;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * {@code POST /mutate}: the HTTP side of the webhook, a plain Vert.x route on the I/O thread that owns every
 * transport rule (method, content type, body size, empty body) and hands the body to {@link AdmissionWebhook}.
 * Nothing on this path blocks or touches the network. Every refusal is a 4xx with the JSON error body
 * {@code {"error": "...", "status": N}}.
 *
 * <p>A route rather than a REST resource because the REST layer (resource matching, the body reader, the per-response
 * writer lookup) cost as much CPU per review as parsing it: measured with {@code bench/run.sh}, see
 * {@code bench/README.md}.
 */
@ApplicationScoped
public class AdmissionRoute {

    public static final String PATH = "/mutate";

    /**
     * Decides, records and warms like {@link #PATH} in observe mode, whatever {@code oci-mirror.mode} says: the path
     * of the webhook entry that selects namespaces labelled {@code oci-mirror.io/enabled: observe}.
     */
    public static final String OBSERVE_PATH = "/observe";

    /**
     * Most reviews are a few dozen KiB: the buffer starts at the announced length up to this, so it is not regrown
     * chunk by chunk; a client cannot make it allocate more by announcing a length it does not send.
     */
    private static final int MAX_INITIAL_CAPACITY = 64 * 1024;

    private final AdmissionWebhook webhook;
    private final long maxBodyBytes;
    private final Timer latency;
    private final RewriteMode mode;

    /**
     * @param maxBodySize the server's body limit, {@code quarkus.http.limits.max-body-size}: the server refuses a
     *                    larger announced Content-Length itself (413, no body); this route refuses a chunked body
     *                    that grows past it. The API server sends the object and, on UPDATE, the old object; etcd
     *                    caps an object at 1.5 MiB, so 3 MiB plus the review envelope is the largest real request,
     *                    and the configured 7 MiB leaves room, as controller-runtime does.
     */
    AdmissionRoute(AdmissionWebhook webhook, MeterRegistry meters, WebhookSettings settings,
            @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBodySize) {
        this.webhook = webhook;
        this.mode = settings.mode();
        this.maxBodyBytes = maxBodySize.asLongValue();
        this.latency = Timer.builder(AdmissionLatencyBuckets.ADMISSION_DURATION)
                .description("Time to answer an admission review")
                .publishPercentileHistogram()
                .maximumExpectedValue(Duration.ofSeconds(1))
                .register(meters);
    }

    void register(@Observes Router router) {
        router.route(PATH).handler(context -> handle(context, mode));
        router.route(OBSERVE_PATH).handler(context -> handle(context, RewriteMode.OBSERVE));
    }

    private void handle(RoutingContext context, RewriteMode mode) {
        HttpServerRequest request = context.request();
        if (request.method() != HttpMethod.POST) {
            context.response().putHeader(HttpHeaders.ALLOW, "POST");
            reply(context, Reply.error(405, "HTTP 405 Method Not Allowed"));
            return;
        }
        String contentType = request.getHeader(HttpHeaders.CONTENT_TYPE);
        if (!isJson(contentType)) {
            reply(context, Reply.error(415,
                    "Content-Type must be application/json, got " + (contentType == null ? "none" : contentType)));
            return;
        }
        Buffer body = Buffer.buffer(initialCapacity(request.getHeader(HttpHeaders.CONTENT_LENGTH)));
        long[] received = {0};
        request.handler(chunk -> {
            received[0] += chunk.length();
            if (context.response().ended()) {
                // A refused body is read on, so that a client that writes it all before reading gets the answer;
                // one that keeps writing past twice the limit loses the connection.
                if (received[0] > 2 * maxBodyBytes) {
                    request.connection().close();
                }
                return;
            }
            if (received[0] <= maxBodyBytes) {
                body.appendBuffer(chunk);
                return;
            }
            // A chunked body over the limit: refused as the server refuses one with a Content-Length over it.
            context.response().putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
            reply(context, Reply.error(413, "body is larger than " + maxBodyBytes + " bytes"));
        });
        request.endHandler(end -> {
            if (context.response().ended()) {
                return;
            }
            if (body.length() == 0) {
                reply(context, Reply.error(400, "body is empty"));
                return;
            }
            review(context, body.getBytes(), mode);
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

    private void review(RoutingContext context, byte[] body, RewriteMode mode) {
        long start = System.nanoTime();
        try {
            reply(context, webhook.review(body, mode));
        } finally {
            latency.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }

    private static void reply(RoutingContext context, Reply reply) {
        context.response()
                .setStatusCode(reply.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(Buffer.buffer(reply.body()));
    }

    private static int initialCapacity(String contentLength) {
        try {
            long length = contentLength == null ? 0 : Long.parseLong(contentLength);
            return (int) Math.max(0, Math.min(length, MAX_INITIAL_CAPACITY));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** {@code application/json} or a {@code +json} type, with or without parameters such as a charset. */
    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim()
                .toLowerCase(Locale.ROOT);
        return type.equals("application/json") || (type.startsWith("application/") && type.endsWith("+json"));
    }
}

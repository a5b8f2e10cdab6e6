package io.ocimirror.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.ocimirror.admission.AdmissionOutcome;
import io.ocimirror.admission.AdmissionRequest;
import io.ocimirror.admission.AdmissionReviewCodec;
import io.ocimirror.admission.AdmissionService;
import io.ocimirror.admission.InvalidReviewException;
import io.smallrye.common.annotation.NonBlocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * {@code POST /mutate}: the transport around {@link AdmissionService}. Rejects what is not an AdmissionReview with a
 * 4xx JSON error; everything else gets an AdmissionReview response. Runs on the I/O thread: nothing on this path
 * blocks or touches the network.
 */
@Path("/mutate")
public class MutateResource {

    /**
     * The API server sends the object and, on UPDATE, the old object; etcd caps an object at 1.5 MiB, so 3 MiB plus
     * the review envelope is the largest real request. 7 MiB leaves room, as controller-runtime does.
     */
    public static final int MAX_BODY_BYTES = 7 * 1024 * 1024;

    private final AdmissionService admission;
    private final AdmissionReviewCodec codec;
    private final Timer latency;

    public MutateResource(AdmissionService admission, ObjectMapper mapper, MeterRegistry meters) {
        this.admission = admission;
        this.codec = new AdmissionReviewCodec(mapper);
        this.latency = Timer.builder("oci_mirror_admission_duration")
                .description("Time to answer an admission review")
                .publishPercentileHistogram()
                .maximumExpectedValue(Duration.ofSeconds(1))
                .register(meters);
    }

    @POST
    @NonBlocking
    @Consumes(MediaType.WILDCARD)
    public Response mutate(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, byte[] body) {
        long start = System.nanoTime();
        try {
            if (!isJson(contentType)) {
                return ErrorResponses.error(Response.Status.UNSUPPORTED_MEDIA_TYPE,
                        "Content-Type must be application/json, got " + (contentType == null ? "none" : contentType));
            }
            if (body == null || body.length == 0) {
                return ErrorResponses.error(Response.Status.BAD_REQUEST, "body is empty");
            }
            if (body.length > MAX_BODY_BYTES) {
                return ErrorResponses.error(Response.Status.REQUEST_ENTITY_TOO_LARGE,
                        "body is larger than " + MAX_BODY_BYTES + " bytes");
            }
            AdmissionRequest request = codec.read(body);
            AdmissionOutcome outcome = admission.admit(request);
            return Response.ok(codec.write(request.uid(), outcome), MediaType.APPLICATION_JSON_TYPE).build();
        } catch (InvalidReviewException e) {
            return ErrorResponses.error(Response.Status.BAD_REQUEST, e.getMessage());
        } finally {
            latency.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }

    private static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        try {
            return MediaType.APPLICATION_JSON_TYPE.isCompatible(MediaType.valueOf(contentType));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}

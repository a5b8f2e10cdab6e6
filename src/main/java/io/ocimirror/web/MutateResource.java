package io.ocimirror.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.ocimirror.admission.AdmissionEndpoint;
import io.ocimirror.admission.AdmissionReviewCodec;
import io.ocimirror.admission.AdmissionService;
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
 * {@code POST /mutate}: the HTTP binding of {@link AdmissionEndpoint}. Runs on the I/O thread: nothing on this path
 * blocks or touches the network.
 */
@Path("/mutate")
public class MutateResource {

    private final AdmissionEndpoint endpoint;
    private final Timer latency;

    public MutateResource(AdmissionService admission, ObjectMapper mapper, MeterRegistry meters) {
        this.endpoint = new AdmissionEndpoint(new AdmissionReviewCodec(mapper), admission);
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
            AdmissionEndpoint.Reply reply = endpoint.handle(contentType, body);
            return Response.status(reply.status()).type(MediaType.APPLICATION_JSON_TYPE).entity(reply.body()).build();
        } finally {
            latency.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }
}

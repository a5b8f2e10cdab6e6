package io.ocimirror.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ocimirror.admission.AdmissionReviewCodec;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Errors raised by the REST layer before {@link MutateResource} runs (an unreadable Content-Type, a wrong method)
 * get the same JSON error body as the endpoint's own rejections.
 */
class ErrorMappers {

    private final AdmissionReviewCodec codec;

    ErrorMappers(ObjectMapper mapper) {
        this.codec = new AdmissionReviewCodec(mapper);
    }

    @ServerExceptionMapper
    Response webApplicationError(WebApplicationException error) {
        int status = error.getResponse().getStatus();
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(codec.error(status, error.getMessage())).build();
    }
}

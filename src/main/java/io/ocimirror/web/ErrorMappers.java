package io.ocimirror.web;

import io.ocimirror.admission.AdmissionWebhook;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Errors raised by the REST layer (a path nothing serves) get the same JSON error body as the endpoint's own
 * rejections in {@link AdmissionRoute}.
 */
class ErrorMappers {

    @ServerExceptionMapper
    Response webApplicationError(WebApplicationException error) {
        int status = error.getResponse().getStatus();
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(AdmissionWebhook.Reply.error(status, error.getMessage()).body()).build();
    }
}

package io.ocimirror.web;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Errors raised by the REST layer before {@link MutateResource} runs (an unreadable Content-Type, a wrong method)
 * get the same JSON error body as the resource's own rejections.
 */
class ErrorMappers {

    @ServerExceptionMapper
    Response webApplicationError(WebApplicationException error) {
        Response.Status status = Response.Status.fromStatusCode(error.getResponse().getStatus());
        return ErrorResponses.error(status == null ? Response.Status.BAD_REQUEST : status, error.getMessage());
    }
}

package io.ocimirror.web;

import io.vertx.core.json.JsonObject;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** The JSON error body every rejected request gets: {@code {"error": "...", "status": 400}}. */
final class ErrorResponses {

    private ErrorResponses() {
    }

    static Response error(Response.Status status, String message) {
        String body = new JsonObject().put("error", message).put("status", status.getStatusCode()).encode();
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(body).build();
    }
}

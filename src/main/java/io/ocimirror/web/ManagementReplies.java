package io.ocimirror.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/** How the management endpoints of {@code /q/oci-mirror/} answer: JSON, and a JSON error for a bad query. */
final class ManagementReplies {

    private ManagementReplies() {
    }

    /** Ends the request with 200 and the JSON. */
    static void ok(RoutingContext context, JsonNode body) {
        send(context, 200, body);
    }

    /** Ends the request with 400 and {@code {"error": message}}. */
    static void badRequest(RoutingContext context, String message) {
        send(context, 400, JsonNodeFactory.instance.objectNode().put("error", message));
    }

    private static void send(RoutingContext context, int status, JsonNode body) {
        context.response().setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(body.toString());
    }
}

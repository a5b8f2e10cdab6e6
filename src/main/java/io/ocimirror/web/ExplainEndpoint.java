package io.ocimirror.web;

import io.quarkus.vertx.http.ManagementInterface;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * {@code GET /q/oci-mirror/explain?image=IMAGE[&namespace=NS]} on the management port: {@link LiveExplainer}'s answer
 * for the image in a Pod of the namespace ({@code default} when none is given). A missing image is a 400.
 */
@ApplicationScoped
public class ExplainEndpoint {

    static final String PATH = "/q/oci-mirror/explain";
    private static final String DEFAULT_NAMESPACE = "default";

    private final LiveExplainer explainer;

    public ExplainEndpoint(LiveExplainer explainer) {
        this.explainer = explainer;
    }

    void register(@Observes ManagementInterface management) {
        management.router().get(PATH).handler(this::answer);
    }

    private void answer(RoutingContext context) {
        String image = context.request().getParam("image");
        if (image == null || image.isBlank()) {
            ManagementReplies.badRequest(context, "the query parameter image is required");
            return;
        }
        String namespace = context.request().getParam("namespace");
        ManagementReplies.ok(context, explainer.explain(image,
                namespace == null || namespace.isBlank() ? DEFAULT_NAMESPACE : namespace));
    }
}

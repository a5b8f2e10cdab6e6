package io.ocimirror.warmahead;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** The images a Pod names, in order: what decides whether a template update is warmed again. */
final class TemplateImages {

    private static final List<String> CONTAINER_LISTS = List.of("initContainers", "containers", "ephemeralContainers");

    private TemplateImages() {
    }

    /**
     * @param pod a Pod as JSON
     * @return the images of its containers and image volumes
     */
    static List<String> of(JsonNode pod) {
        List<String> images = new ArrayList<>();
        JsonNode spec = pod.path("spec");
        CONTAINER_LISTS.forEach(list -> spec.path(list).forEach(c -> images.add(c.path("image").asText(""))));
        spec.path("volumes").forEach(v -> {
            if (v.has("image")) {
                images.add(v.path("image").path("reference").asText(""));
            }
        });
        return images;
    }
}

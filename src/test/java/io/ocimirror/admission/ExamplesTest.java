package io.ocimirror.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.flipkart.zjsonpatch.JsonPatch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The reviews in examples/ that the README tells a newcomer to post give the rewrites the README shows. */
class ExamplesTest {

    private final ObjectMapper mapper = new ObjectMapper();
    private final AdmissionWebhook webhook = ExampleWebhook.create(mapper);

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "admission-review-pod.json, /spec/containers/0/image, mirror.example.com/dockerhub-mirror/library/nginx:1.25",
            "admission-review-plugindefinition.json, /spec/helmChart/repository, "
                    + "oci://mirror.example.com/ghcr-mirror/stefanprodan/charts",
    })
    void rewritesTheExample(String file, String pointer, String expected) throws Exception {
        byte[] review = Files.readAllBytes(Path.of("examples", file));

        AdmissionWebhook.Reply reply = webhook.review(review);

        assertEquals(200, reply.status());
        JsonNode response = mapper.readTree(reply.body()).path("response");
        assertEquals(mapper.readTree(review).at("/request/uid"), response.path("uid"));
        JsonNode patch = mapper.readTree(Base64.getDecoder().decode(response.path("patch").asText()));
        JsonNode mutated = JsonPatch.apply(patch, mapper.readTree(review).at("/request/object"));
        assertEquals(expected, mutated.at(pointer).asText());
    }
}

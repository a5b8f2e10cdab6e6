package io.ocimirror.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.ocimirror.testing.TestCertificates;
import io.ocimirror.testing.WebhookClient;
import io.ocimirror.web.AdmissionRoute;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.net.URL;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code oci-mirror.mode=observe}: {@code POST /mutate} itself observes, for a cluster that is observed as a whole
 * (ClusterPluginDefinitions included) before it is enforced.
 */
@QuarkusTest
@TestProfile(ObserveSettingTest.ObserveEverything.class)
@QuarkusTestResource(TestCertificates.class)
class ObserveSettingTest {

    public static class ObserveEverything implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("oci-mirror.mode", "observe");
        }
    }

    @TestHTTPResource(value = "/", tls = true)
    URL url;

    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void theMutatePathRecordsTheDecisionAndRewritesNothing() throws Exception {
        WebhookClient client = new WebhookClient(url);
        ObjectNode pod = mapper.createObjectNode().put("apiVersion", "v1").put("kind", "Pod");
        pod.putObject("metadata").put("name", "p");
        pod.withArray("/spec/containers").addObject().put("name", "web").put("image", "nginx:1.25");

        JsonNode mutated = client.admit(client.review("", "v1", "pods", null, "CREATE", "shop", pod, null, false),
                AdmissionRoute.PATH).applyTo(pod);

        Pod typed = mapper.treeToValue(mutated, Pod.class);
        assertEquals("nginx:1.25", typed.getSpec().getContainers().get(0).getImage());
        assertEquals(mapper.readTree("{\"web\":\"rewritten\"}"),
                mapper.readTree(typed.getMetadata().getAnnotations().get(Decisions.ANNOTATION)));
        assertFalse(typed.getMetadata().getAnnotations().containsKey(PodHandler.ORIGINAL_IMAGES_ANNOTATION));
    }
}

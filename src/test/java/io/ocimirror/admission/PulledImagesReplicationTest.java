package io.ocimirror.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ocimirror.rewrite.ReplicationRequest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Replication warms exactly the images the kubelet pulls: container images and image volumes, not images with pull
 * policy {@code Never} nor the images of a static pod's API copy. Configuration: {@code examples/mirror-config.yaml}.
 */
class PulledImagesReplicationTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String WRITE = "registry-write.example.com/";

    private final List<ReplicationRequest> scheduled = new ArrayList<>();
    private final AdmissionWebhook admission = ExampleWebhook.create(MAPPER, scheduled::add);

    @Test
    void replicatesContainerImagesAndImageVolumesThatArePulled() throws Exception {
        ObjectNode pod = pod();

        admit(pod);

        assertEquals(List.of(WRITE + "dockerhub-mirror/library/nginx:1.25", WRITE + "ghcr-mirror/shop/models:2"),
                scheduled.stream().map(r -> r.reference().toString()).toList());
    }

    @Test
    void replicatesNothingForTheApiCopyOfAStaticPod() throws Exception {
        ObjectNode pod = pod();
        pod.withObject("/metadata/annotations").put(PodHandler.STATIC_POD_ANNOTATION, "3b9a1f0c");

        admit(pod);

        assertEquals(List.of(), scheduled);
    }

    private static ObjectNode pod() throws Exception {
        return (ObjectNode) MAPPER.readTree("""
                {"apiVersion": "v1", "kind": "Pod", "metadata": {"generateName": "shop-", "namespace": "shop"},
                 "spec": {
                   "containers": [
                     {"name": "api", "image": "shop-api:dev", "imagePullPolicy": "Never"},
                     {"name": "proxy", "image": "nginx:1.25", "imagePullPolicy": "IfNotPresent"}],
                   "volumes": [
                     {"name": "models", "image": {"reference": "ghcr.io/shop/models:2", "pullPolicy": "IfNotPresent"}},
                     {"name": "local", "image": {"reference": "ghcr.io/shop/models:dev", "pullPolicy": "Never"}},
                     {"name": "cache", "emptyDir": {}}]}}
                """);
    }

    private void admit(ObjectNode pod) throws Exception {
        ObjectNode review = MAPPER.createObjectNode().put("apiVersion", "admission.k8s.io/v1")
                .put("kind", "AdmissionReview");
        ObjectNode request = review.putObject("request").put("uid", "u-1").put("operation", "CREATE")
                .put("namespace", "shop");
        request.putObject("resource").put("group", "").put("version", "v1").put("resource", "pods");
        request.set("object", pod);
        admission.admit(new AdmissionReviewCodec(MAPPER, admission.objectParts()).read(MAPPER.writeValueAsBytes(review)));
    }
}

package io.ocimirror.rescue;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.net.HttpURLConnection;
import org.jboss.logging.Logger;

/** {@link PodPatcher} through the Kubernetes API: one PATCH request, never retried. */
final class KubernetesPodPatcher implements PodPatcher {

    private static final Logger LOG = Logger.getLogger(KubernetesPodPatcher.class);
    /** What the API server answers when a JSON Patch {@code test} fails. */
    private static final int UNPROCESSABLE = 422;

    private final KubernetesClient client;

    KubernetesPodPatcher(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public PatchResult patch(String namespace, String name, String jsonPatch) {
        try {
            client.pods().inNamespace(namespace).withName(name).patch(PatchContext.of(PatchType.JSON), jsonPatch);
            return PatchResult.PATCHED;
        } catch (KubernetesClientException e) {
            if (e.getCode() == UNPROCESSABLE || e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
                return PatchResult.CONFLICT;
            }
            LOG.warnf("Cannot patch Pod %s/%s: %s", namespace, name, e.getMessage());
            return PatchResult.FAILED;
        }
    }
}

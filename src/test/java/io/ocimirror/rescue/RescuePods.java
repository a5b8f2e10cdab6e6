package io.ocimirror.rescue;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.ocimirror.admission.PodHandler;
import io.ocimirror.config.MirrorConfiguration;
import io.ocimirror.rewrite.RewriteOutcome.Rewritten;
import io.ocimirror.rewrite.RewriteRule;
import io.ocimirror.testing.Configurations;
import java.util.Optional;

/** Pods as the kubelet reports them for the rescue's tests, and the rule under a fixed configuration. */
final class RescuePods {

    static final String NAMESPACE = "shop";
    static final String ORIGINAL = "nginx:1.25";
    static final String MIRRORED = "mirror.example.com/hub/library/nginx:1.25";
    static final String MESSAGE = "rpc error: code = NotFound desc = failed to pull and unpack image \""
            + MIRRORED + "\": not found";
    static final MirrorConfiguration CONFIGURATION = Configurations.parse("""
            registryMirrors:
              docker.io:
                baseDomain: mirror.example.com
                subPath: hub
            """);

    /** The rewrite rule under {@link #CONFIGURATION}, in every namespace. */
    static final MirroredForms FORMS = (namespace, image) -> RewriteRule.apply(image, CONFIGURATION) instanceof
            Rewritten rewritten
            ? Optional.of(new MirroredForms.MirroredForm(rewritten.rewrite().pull().toString(),
                    rewritten.rewrite().mirror()))
            : Optional.empty();

    private RescuePods() {
    }

    /** A Pod with one container "web" on the mirrored image, the original recorded, and no status yet. */
    static PodBuilder pod() {
        return new PodBuilder()
                .withNewMetadata().withNamespace(NAMESPACE).withName("web-1").withUid("uid-1")
                .addToLabels(PodHandler.REWRITTEN_LABEL, "true")
                .addToAnnotations(PodHandler.ORIGINAL_IMAGES_ANNOTATION, "{\"web\":\"" + ORIGINAL + "\"}")
                .endMetadata()
                .withNewSpec().addNewContainer().withName("web").withImage(MIRRORED).endContainer().endSpec();
    }

    /** A container status waiting with a pull failure, as the kubelet writes it. */
    static ContainerStatusBuilder failing(String name, String image, String reason) {
        return new ContainerStatusBuilder().withName(name).withImage(image).withImageID("").withReady(false)
                .withRestartCount(0)
                .withNewState().withNewWaiting().withReason(reason).withMessage(MESSAGE).endWaiting().endState();
    }

    static ContainerStatus failing(String name) {
        return failing(name, MIRRORED, "ErrImagePull").build();
    }

    /** The Pod of {@link #pod()} with its container failing. */
    static Pod failingPod(String reason) {
        return pod().withNewStatus().addToContainerStatuses(failing("web", MIRRORED, reason).build()).endStatus()
                .build();
    }
}

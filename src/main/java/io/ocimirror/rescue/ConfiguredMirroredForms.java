package io.ocimirror.rescue;

import io.ocimirror.admission.Rewriter;
import io.ocimirror.config.MirrorConfiguration;
import io.ocimirror.config.OwnedConfiguration;
import io.ocimirror.greenhouse.MirrorConfigurationRouter;
import io.ocimirror.reference.ImageReference;
import io.ocimirror.reference.InvalidReferenceException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/** {@link MirroredForms} from the webhook's own rule and configuration routing, as a Pod admission would use them. */
@ApplicationScoped
class ConfiguredMirroredForms implements MirroredForms {

    private static final String CORE_GROUP = "";
    private static final String PODS = "pods";

    private final MirrorConfigurationRouter configurations;
    private final Rewriter rewriter;

    ConfiguredMirroredForms(MirrorConfigurationRouter configurations, Rewriter rewriter) {
        this.configurations = configurations;
        this.rewriter = rewriter;
    }

    @Override
    public Optional<MirroredForm> of(String namespace, String image) {
        Optional<MirrorConfiguration> configuration =
                configurations.forRequest(namespace, CORE_GROUP, PODS).map(OwnedConfiguration::snapshot);
        if (configuration.isEmpty()) {
            return Optional.empty();
        }
        Optional<ImageReference> pull = rewriter.mirroredForm(image, configuration.get());
        if (pull.isEmpty()) {
            return Optional.empty();
        }
        try {
            // The rule rewrote it, so it parses; its registry names the mirror.
            String sourceRegistry = ImageReference.parse(image).registry();
            return configuration.get().mirrorFor(sourceRegistry)
                    .map(mirror -> new MirroredForm(pull.get().toString(), mirror));
        } catch (InvalidReferenceException e) {
            return Optional.empty();
        }
    }
}

package io.ocimirror.admission;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ocimirror.config.ConfigurationOwner;
import io.ocimirror.configstore.ConfigurationStore;
import io.ocimirror.greenhouse.MirrorConfigurationRouter;
import io.ocimirror.rewrite.ReplicationScheduler;
import io.ocimirror.rewrite.RewriteGate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The admission webhook wired as the application wires it, on the example configuration. */
final class ExampleWebhook {

    private ExampleWebhook() {
    }

    static AdmissionWebhook create(ObjectMapper mapper) {
        return create(mapper, request -> { });
    }

    /** The webhook on the example configuration, handing replication requests to {@code replication}. */
    static AdmissionWebhook create(ObjectMapper mapper, ReplicationScheduler replication) {
        return create(mapper, replication, RewriteGate.ALWAYS);
    }

    /** The webhook on the example configuration, its rewrites through {@code gate}. */
    static AdmissionWebhook create(ObjectMapper mapper, ReplicationScheduler replication, RewriteGate gate) {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        ConfigurationStore configurations = new ConfigurationStore(meters);
        try {
            configurations.apply(ConfigurationOwner.WEBHOOK, Files.readString(Path.of("examples/mirror-config.yaml")),
                    "examples");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Rewriter rewriter = new Rewriter(gate);
        return new AdmissionWebhook(List.of(new PodHandler(mapper, rewriter), new PluginDefinitionHandler(rewriter, mapper)),
                MirrorConfigurationRouter.ownConfigurationOnly(configurations), replication, meters, mapper);
    }
}

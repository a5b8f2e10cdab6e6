package io.ocimirror.admission;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ocimirror.config.MirrorConfigurationStore;
import io.ocimirror.greenhouse.MirrorConfigurationRouter;
import io.ocimirror.rewrite.ReplicationScheduler;
import io.ocimirror.rewrite.RewriteGate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The admission endpoint and service wired as the application wires them, on the example configuration. */
final class ExampleEndpoint {

    private ExampleEndpoint() {
    }

    static AdmissionEndpoint create(ObjectMapper mapper) {
        return new AdmissionEndpoint(mapper, service(mapper, request -> { }));
    }

    /** The admission service on the example configuration, handing replication requests to {@code replication}. */
    static AdmissionService service(ObjectMapper mapper, ReplicationScheduler replication) {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        MirrorConfigurationStore configurations = new MirrorConfigurationStore(meters);
        try {
            configurations.update(Files.readString(Path.of("examples/mirror-config.yaml")), "examples");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Rewriter rewriter = new Rewriter(RewriteGate.ALWAYS);
        return new AdmissionService(List.of(new PodHandler(mapper, rewriter), new PluginDefinitionHandler(rewriter)),
                MirrorConfigurationRouter.ownConfigurationOnly(configurations), replication, meters);
    }
}

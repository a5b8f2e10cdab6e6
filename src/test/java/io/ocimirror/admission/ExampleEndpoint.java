package io.ocimirror.admission;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ocimirror.config.MirrorConfigurationStore;
import io.ocimirror.rewrite.RewriteGate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The admission endpoint wired as the application wires it, on the example configuration, without replication. */
final class ExampleEndpoint {

    private ExampleEndpoint() {
    }

    static AdmissionEndpoint create(ObjectMapper mapper) {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        MirrorConfigurationStore configurations = new MirrorConfigurationStore(meters);
        try {
            configurations.update(Files.readString(Path.of("examples/mirror-config.yaml")), "examples");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        AdmissionService admission = new AdmissionService(List.of(new PodHandler(mapper), new PluginDefinitionHandler()),
                configurations, request -> { }, RewriteGate.ALWAYS, meters);
        return new AdmissionEndpoint(new AdmissionReviewCodec(mapper), admission);
    }
}

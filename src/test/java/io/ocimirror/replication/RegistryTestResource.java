package io.ocimirror.replication;

import io.ocimirror.testing.registry.DistributionRegistry;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * What the registry fixtures of the replication {@code @QuarkusTest}s share: registries started through
 * {@link #started} are closed at the end in reverse order, a mirror configuration is written to a temporary file, a
 * port where nothing listens, and the fixture itself injected into the test's field marked {@link Inject}.
 */
abstract class RegistryTestResource implements QuarkusTestResourceLifecycleManager {

    /** Marks the test field that receives the started fixture. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    public @interface Inject {
    }

    private final Deque<DistributionRegistry> registries = new ArrayDeque<>();

    /** @return {@code registry}, started, to be closed when the test class ends */
    protected DistributionRegistry started(DistributionRegistry registry) {
        registry.start();
        registries.push(registry);
        return registry;
    }

    /** Writes {@code yaml} to a new temporary file, for {@code oci-mirror.config-file}. */
    protected static Path configFile(String prefix, String yaml) {
        try {
            Path file = Files.createTempFile(prefix, ".yaml");
            Files.writeString(file, yaml);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A loopback port nothing listens on (a dead mirror), as far as the next bind goes. */
    protected static int unusedPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(this, new TestInjector.AnnotatedAndMatchesType(Inject.class, getClass()));
    }

    @Override
    public void stop() {
        while (!registries.isEmpty()) {
            registries.pop().close();
        }
    }
}

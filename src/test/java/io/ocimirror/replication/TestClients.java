package io.ocimirror.replication;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ocimirror.configstore.ConfigurationStore;
import io.ocimirror.registry.RegistryAccessFactory;
import io.ocimirror.settings.WebhookSettings;
import java.time.Duration;
import java.util.function.LongSupplier;

/** {@link RegistryClients} without credentials, built as the webhook builds them but on the test's clock. */
final class TestClients {

    private TestClients() {
    }

    /** With the connect and read timeouts of {@code settings}. */
    static RegistryClients of(WebhookSettings settings, LongSupplier nanoClock) {
        return of(settings.replication().connectTimeout(), settings.replication().timeout(), nanoClock);
    }

    static RegistryClients of(Duration connectTimeout, Duration readTimeout, LongSupplier nanoClock) {
        return new RegistryClients(new RegistryAccessFactory(connectTimeout, readTimeout, nanoClock),
                new ConfigurationStore(new SimpleMeterRegistry()));
    }
}

package io.ocimirror.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ocimirror.config.ConfigurationOwner;
import io.ocimirror.configstore.ConfigurationStore;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The breakers' view of mirror hosts follows the configuration store like every other listener: the hosts of every
 * owner's configuration, the webhook's own and each organisation's, show (with their breaker gauge) from the moment
 * the configuration is read, before any job.
 */
class ConfiguredMirrorHostsTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final ConfigurationStore store = new ConfigurationStore(meters);
    private final MirrorHealth health = new MirrorHealth(TestSettings.with(Map.of()), meters, store, new VirtualTime());

    @Test
    void showsEveryOwnersMirrorHostsAsSoonAsTheirConfigurationIsRead() {
        store.apply(ConfigurationOwner.WEBHOOK, "registryMirrors: {docker.io: {baseDomain: own-mirror.test}}", "test");
        store.apply(ConfigurationOwner.organization("team-a"),
                "registryMirrors: {ghcr.io: {baseDomain: team-a-mirror.test}}", "test");

        assertEquals(Map.of("own-mirror.test", "available", "team-a-mirror.test", "available"), health.describe());
        assertEquals(0.0, meters.get(MirrorHealth.OPEN_GAUGE).tag("mirror_host", "team-a-mirror.test").gauge()
                .value(), "the organisation's breaker gauge exists before its first job");
    }

    @Test
    void followsAnOrganisationsEditToItsNewHosts() {
        ConfigurationOwner team = ConfigurationOwner.organization("team-a");
        store.apply(team, "registryMirrors: {ghcr.io: {baseDomain: first.test}}", "test");

        store.apply(team, "registryMirrors: {ghcr.io: {baseDomain: second.test}}", "test");

        assertEquals(Map.of("second.test", "available"), health.describe(), "the host no configuration names is gone");
        assertEquals(null, meters.find(MirrorHealth.OPEN_GAUGE).tag("mirror_host", "first.test").gauge());
    }
}

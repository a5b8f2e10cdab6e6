package io.ocimirror.testing;

import io.ocimirror.config.ConfigurationException;
import io.ocimirror.config.MirrorConfiguration;
import io.ocimirror.config.MirrorConfigurationParser;

/** Mirror configurations for tests, from YAML that is known to be valid. */
public final class Configurations {

    /**
     * A snapshot of the webhook's own configuration with no mirrors: replication under it uses the webhook's own
     * credentials.
     */
    public static final MirrorConfiguration WEBHOOK_OWN = parse("registryMirrors: {}");

    private Configurations() {
    }

    public static MirrorConfiguration parse(String yaml) {
        try {
            return new MirrorConfigurationParser().parse(yaml);
        } catch (ConfigurationException e) {
            throw new AssertionError("test configuration is invalid: " + e.getMessage(), e);
        }
    }
}

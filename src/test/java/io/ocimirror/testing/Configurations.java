package io.ocimirror.testing;

import io.ocimirror.config.ConfigurationException;
import io.ocimirror.config.MirrorConfiguration;
import io.ocimirror.config.MirrorConfigurationParser;

/** Mirror configurations for tests, from YAML that is known to be valid. */
public final class Configurations {

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

package io.ocimirror.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * A configuration with tens of thousands of mirrors on one host is read whole, and an overlap among them is still
 * found and named; how long it takes is measured by {@code bench/large-config.sh}, not asserted here.
 */
class LargeConfigurationTest {

    static final int MIRRORS = 20_000;

    private final MirrorConfigurationParser parser = new MirrorConfigurationParser();

    /** {@code count} sources on {@code m.example.com}, each under its own sub-path, then {@code extra}. */
    static String configuration(int count, String extra) {
        StringBuilder yaml = new StringBuilder("primaryMirror: w.example.com\nregistryMirrors:\n");
        for (int i = 0; i < count; i++) {
            yaml.append("  r").append(i).append(".example.com: {baseDomain: m.example.com, subPath: team/r")
                    .append(i).append("}\n");
        }
        return yaml.append(extra).toString();
    }

    @Test
    void readsTwentyThousandMirrors() throws ConfigurationException {
        MirrorConfiguration config = parser.parse(configuration(MIRRORS, ""));

        assertEquals(MIRRORS, config.mirrors().size());
        assertEquals("team/r19999", config.mirrorFor("r19999.example.com").orElseThrow().subPath());
    }

    @Test
    void findsTheOverlapAfterTwentyThousandMirrors() {
        ConfigurationException error = assertThrows(ConfigurationException.class, () -> parser.parse(
                configuration(MIRRORS, "  late.example.com: {baseDomain: m.example.com, subPath: team}\n")));

        assertTrue(error.getMessage().startsWith("registryMirrors.late.example.com: its mirror location"
                + " m.example.com/team overlaps that of registryMirrors.r0.example.com (m.example.com/team/r0)"),
                error.getMessage());
    }
}

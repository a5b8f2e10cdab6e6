package io.ocimirror.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link MirrorConfigurationParser#parseIgnoringUnknownKeys}, the reading of a Greenhouse organisation's
 * configuration: unknown keys at any level are left out and named, every other problem is an error as in the
 * strict reading.
 */
class LenientParsingTest {

    private final MirrorConfigurationParser parser = new MirrorConfigurationParser();

    static Stream<Arguments> unknownKeys() {
        return Stream.of(
                Arguments.of("root", "owner: team-a\nregistryMirrors: {docker.io: {baseDomain: m.io}}",
                        List.of("owner")),
                Arguments.of("mirror", "registryMirrors: {docker.io: {baseDomain: m.io, basedomain: n.io, tier: 1}}",
                        List.of("registryMirrors.docker.io.basedomain", "registryMirrors.docker.io.tier")),
                Arguments.of("mirror replication",
                        "registryMirrors: {docker.io: {baseDomain: m.io, replication: {referrers: true, mode: full}}}",
                        List.of("registryMirrors.docker.io.replication.mode")),
                Arguments.of("exclude", "registryMirrors: {docker.io: {baseDomain: m.io}}\nexclude: {labels: [a]}",
                        List.of("exclude.labels")),
                Arguments.of("replication",
                        "registryMirrors: {docker.io: {baseDomain: m.io}}\nreplication: {mode: manifest, retries: 3}",
                        List.of("replication.retries")),
                Arguments.of("a second document",
                        "registryMirrors: {docker.io: {baseDomain: m.io}}\n---\nregistryMirrors: {}",
                        List.of("the YAML documents from line 3")),
                Arguments.of("none", "registryMirrors: {docker.io: {baseDomain: m.io}}", List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unknownKeys")
    void leavesOutAndNamesUnknownKeys(String name, String yaml, List<String> ignored) throws ConfigurationException {
        MirrorConfigurationParser.Lenient lenient = parser.parseIgnoringUnknownKeys(yaml);

        assertEquals(ignored, lenient.ignoredKeys());
        assertEquals("m.io", lenient.configuration().mirrorFor("docker.io").orElseThrow().baseDomain());
        if (!ignored.isEmpty()) {
            assertThrows(ConfigurationException.class, () -> parser.parse(yaml), "the strict reading rejects it");
        }
    }

    @Test
    void keepsTheKnownKeysOfTheGreenhouseConfiguration() throws ConfigurationException {
        MirrorConfiguration configuration = parser.parseIgnoringUnknownKeys("""
                primaryMirror: registry-write.example.com
                secretName: registry-mirror-creds
                registryMirrors:
                  docker.io: {baseDomain: mirror.example.com, subPath: hub, insecure: true}
                replication: {mode: manifest}
                """).configuration();

        assertEquals(parser.parse("""
                primaryMirror: registry-write.example.com
                secretName: registry-mirror-creds
                registryMirrors:
                  docker.io: {baseDomain: mirror.example.com, subPath: hub, insecure: true}
                replication: {mode: manifest}
                """), configuration);
    }

    static Stream<Arguments> otherProblems() {
        return Stream.of(
                Arguments.of("invalid YAML", "registryMirrors: [", "not valid YAML"),
                Arguments.of("empty", "", "configuration is empty"),
                Arguments.of("missing baseDomain", "extra: 1\nregistryMirrors: {docker.io: {subPath: hub}}",
                        "registryMirrors.docker.io.baseDomain: is required"),
                Arguments.of("wrong type", "registryMirrors: {docker.io: {baseDomain: m.io, insecure: yes-please}}",
                        "registryMirrors.docker.io.insecure: must be true or false"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("otherProblems")
    void rejectsEverythingElseAsTheStrictReadingDoes(String name, String yaml, String messageStart) {
        ConfigurationException error = assertThrows(ConfigurationException.class,
                () -> parser.parseIgnoringUnknownKeys(yaml));

        assertTrue(error.getMessage().startsWith(messageStart), error.getMessage());
    }
}

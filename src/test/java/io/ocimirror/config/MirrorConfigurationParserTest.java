package io.ocimirror.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ocimirror.testing.Mirrors;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class MirrorConfigurationParserTest {

    private final MirrorConfigurationParser parser = new MirrorConfigurationParser();

    @Test
    void readsGreenhouseConfiguration() throws ConfigurationException {
        MirrorConfiguration config = parser.parse("""
                primaryMirror: registry-write.example.com
                secretName: registry-mirror-creds
                registryMirrors:
                  docker.io:
                    baseDomain: mirror.example.com
                    subPath: dockerhub-mirror
                  ghcr.io:
                    baseDomain: mirror.example.com
                    subPath: /ghcr-mirror/
                """);

        assertEquals(Mirrors.of("docker.io", "mirror.example.com").subPath("dockerhub-mirror")
                .replicationHost("registry-write.example.com").build(), config.mirrorFor("docker.io").orElseThrow());
        assertEquals("ghcr-mirror", config.mirrorFor("ghcr.io").orElseThrow().subPath());
        assertEquals(Optional.of("registry-mirror-creds"), config.secretName());
        assertEquals(ReplicationMode.FULL, config.replication().mode());
        assertEquals(List.of(new Platform("linux", "amd64", Optional.empty())), config.replication().platforms());
    }

    @Test
    void readsExtensions() throws ConfigurationException {
        MirrorConfiguration config = parser.parse("""
                registryMirrors:
                  index.docker.io:
                    baseDomain: 127.0.0.1:5001
                    replicationHost: 127.0.0.1:5002
                    insecure: true
                    rewritePolicy: replicated
                  quay.io:
                    baseDomain: quay-mirror.example.com
                    caFile: /etc/oci-mirror/ca/ca.crt
                    stopBlobReadsEarly: true
                exclude:
                  images: ["ghcr.io/cloudnative-pg/**"]
                  namespaces: [observability]
                  ownerApiGroups: [postgresql.cnpg.io]
                replication:
                  mode: manifest
                  platforms: [linux/amd64, linux/arm/v7]
                """);

        Mirror hub = config.mirrorFor("docker.io").orElseThrow();
        assertEquals(Mirrors.of("docker.io", "127.0.0.1:5001").replicationHost("127.0.0.1:5002").plainHttp()
                .rewritePolicy(RewritePolicy.REPLICATED).build(), hub);
        assertEquals(Optional.of(java.nio.file.Path.of("/etc/oci-mirror/ca/ca.crt")),
                config.mirrorFor("quay.io").orElseThrow().caFile());
        assertEquals("quay-mirror.example.com", config.mirrorFor("quay.io").orElseThrow().replicationHost());
        assertTrue(config.mirrorFor("quay.io").orElseThrow().stopBlobReadsEarly());
        assertFalse(hub.stopBlobReadsEarly());
        assertTrue(config.exclusions().excludesImage("ghcr.io/cloudnative-pg/postgresql"));
        assertFalse(config.exclusions().excludesImage("ghcr.io/other/postgresql"));
        assertEquals(Set.of("observability"), config.exclusions().namespaces());
        assertEquals(Set.of("postgresql.cnpg.io"), config.exclusions().ownerApiGroups());
        assertEquals(ReplicationMode.MANIFEST, config.replication().mode());
        assertTrue(config.replication().wantsPlatform("linux", "arm", "v7"));
        assertTrue(config.replication().wantsPlatform("linux", "arm", ""), "an unknown variant matches");
        assertFalse(config.replication().wantsPlatform("linux", "arm", "v6"));
        assertFalse(config.replication().wantsPlatform("linux", "arm64", "v8"));
    }

    @Test
    void replicatesEveryPlatformWhenAskedForAll() throws ConfigurationException {
        MirrorConfiguration config = parser.parse("""
                registryMirrors: {docker.io: {baseDomain: m.example.com}}
                replication: {platforms: [all]}
                """);

        assertTrue(config.replication().wantsPlatform("windows", "amd64", ""));
    }

    static Stream<Arguments> referrersSettings() {
        return Stream.of(
                Arguments.of("no replication section", "", "", false),
                Arguments.of("replication without referrers", "", "replication: {mode: manifest}", false),
                Arguments.of("referrers without a value", "", "replication: {referrers: ~}", false),
                Arguments.of("referrers off", "", "replication: {referrers: false}", false),
                Arguments.of("referrers on", "", "replication: {referrers: true}", true),
                Arguments.of("referrers on with platforms", "", "replication: {referrers: true, platforms: [all]}",
                        true),
                Arguments.of("on for the mirror, no default", ", replication: {referrers: true}", "", true),
                Arguments.of("on for the mirror, off by default", ", replication: {referrers: true}",
                        "replication: {referrers: false}", true),
                Arguments.of("off for the mirror, on by default", ", replication: {referrers: false}",
                        "replication: {referrers: true}", false),
                Arguments.of("mirror replication without referrers", ", replication: {}",
                        "replication: {referrers: true}", true),
                Arguments.of("mirror referrers without a value", ", replication: {referrers: ~}",
                        "replication: {referrers: true}", true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("referrersSettings")
    void readsWhetherReferrersAreWarmedPerMirror(String name, String inMirror, String topLevel, boolean referrers)
            throws ConfigurationException {
        MirrorConfiguration config = parser.parse("registryMirrors: {docker.io: {baseDomain: m.example.com" + inMirror
                + "}}\n" + topLevel);

        assertEquals(referrers, config.mirrorFor("docker.io").orElseThrow().referrers());
    }

    @Test
    void givesAMirrorWithoutItsOwnReferrersSettingTheTopLevelOne() throws ConfigurationException {
        MirrorConfiguration config = parser.parse("""
                registryMirrors:
                  docker.io: {baseDomain: m.example.com, subPath: hub, replication: {referrers: true}}
                  quay.io: {baseDomain: m.example.com, subPath: quay}
                """);

        assertTrue(config.mirrorFor("docker.io").orElseThrow().referrers());
        assertFalse(config.mirrorFor("quay.io").orElseThrow().referrers());
    }

    @Test
    void acceptsSourcesOnOneHostUnderSeparateSubPaths() throws ConfigurationException {
        MirrorConfiguration config = parser.parse("""
                primaryMirror: w.example.com
                registryMirrors:
                  docker.io: {baseDomain: m.example.com, subPath: hub}
                  quay.io: {baseDomain: m.example.com, subPath: hubs/quay}
                  ghcr.io: {baseDomain: m.example.com, subPath: ghcr}
                """);

        assertEquals(3, config.mirrors().size());
    }

    @Test
    void acceptsAliasesOfOneRegistryWithTheSameSettings() throws ConfigurationException {
        MirrorConfiguration config = parser.parse("""
                registryMirrors:
                  docker.io: {baseDomain: m.example.com, subPath: hub}
                  index.docker.io: {baseDomain: m.example.com, subPath: /hub}
                  registry-1.docker.io: {baseDomain: m.example.com, subPath: hub/}
                """);

        assertEquals(Map.of("docker.io", Mirrors.of("docker.io", "m.example.com").subPath("hub").build()),
                config.mirrors());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"registryMirrors: {}", "registryMirrors:", "registryMirrors: ~\nsecretName: creds"})
    void emptyRegistryMirrorsIsValidAndRewritesNothing(String yaml) throws ConfigurationException {
        MirrorConfiguration config = parser.parse(yaml);

        assertTrue(config.mirrors().isEmpty(), "no mirrors");
        assertTrue(config.mirrorFor("docker.io").isEmpty(), "docker.io has no mirror");
    }

    static Stream<Arguments> invalidConfigurations() {
        return Stream.of(
                // name, YAML, the start of the expected message
                Arguments.of("empty", "", "configuration is empty"),
                Arguments.of("not YAML", "registryMirrors: [", "not valid YAML"),
                Arguments.of("a list at the root", "- a", "(root): must be a mapping"),
                Arguments.of("no mirrors", "primaryMirror: a.example.com", "registryMirrors: is required"),
                Arguments.of("unknown root key", "registryMirror: {}", "registryMirror: unknown key"),
                Arguments.of("misspelt mirror key", "registryMirrors: {docker.io: {basedomain: m.io}}",
                        "registryMirrors.docker.io.basedomain: unknown key"),
                Arguments.of("no baseDomain", "registryMirrors: {docker.io: {subPath: hub}}",
                        "registryMirrors.docker.io.baseDomain: is required"),
                Arguments.of("baseDomain with scheme", "registryMirrors: {docker.io: {baseDomain: 'https://m.io'}}",
                        "registryMirrors.docker.io.baseDomain: \"https://m.io\" is not a host name"),
                Arguments.of("baseDomain not a string", "registryMirrors: {docker.io: {baseDomain: 42}}",
                        "registryMirrors.docker.io.baseDomain: must be a string"),
                Arguments.of("upper-case subPath", "registryMirrors: {docker.io: {baseDomain: m.io, subPath: Hub}}",
                        "registryMirrors.docker.io.subPath: \"Hub\" is not a repository path"),
                Arguments.of("insecure not boolean", "registryMirrors: {docker.io: {baseDomain: m.io, insecure: 'yes'}}",
                        "registryMirrors.docker.io.insecure: must be true or false"),
                Arguments.of("unknown rewrite policy", "registryMirrors: {docker.io: {baseDomain: m.io, rewritePolicy: never}}",
                        "registryMirrors.docker.io.rewritePolicy: \"never\" is not one of always, replicated"),
                Arguments.of("relative caFile", "registryMirrors: {docker.io: {baseDomain: m.io, caFile: ca.crt}}",
                        "registryMirrors.docker.io.caFile: \"ca.crt\" is not an absolute path"),
                Arguments.of("invalid source key", "registryMirrors: {'bad host': {baseDomain: m.io}}",
                        "registryMirrors.bad host: \"bad host\" is not a registry host"),
                Arguments.of("alias configured twice",
                        "registryMirrors: {docker.io: {baseDomain: m.io}, index.docker.io: {baseDomain: n.io}}",
                        "registryMirrors.index.docker.io: names the same registry as registryMirrors.docker.io"),
                Arguments.of("two sources on one mirror location",
                        "registryMirrors: {docker.io: {baseDomain: m.io, subPath: hub}, quay.io: {baseDomain: m.io, subPath: /hub/}}",
                        "registryMirrors.quay.io: its mirror location m.io/hub overlaps that of registryMirrors.docker.io"),
                Arguments.of("two sources at one mirror's root",
                        "registryMirrors: {docker.io: {baseDomain: m.io}, quay.io: {baseDomain: m.io}}",
                        "registryMirrors.quay.io: its mirror location m.io/ overlaps that of registryMirrors.docker.io"),
                Arguments.of("a sub-path inside another",
                        "registryMirrors: {docker.io: {baseDomain: m.io, subPath: hub}, quay.io: {baseDomain: m.io, subPath: hub/quay}}",
                        "registryMirrors.quay.io: its mirror location m.io/hub/quay overlaps that of registryMirrors.docker.io"),
                Arguments.of("a root replication host shared",
                        "primaryMirror: w.io\nregistryMirrors: {docker.io: {baseDomain: a.io}, quay.io: {baseDomain: b.io}}",
                        "registryMirrors.quay.io: its mirror location w.io/ overlaps that of registryMirrors.docker.io"),
                Arguments.of("baseDomain read as a Docker Hub path", "registryMirrors: {docker.io: {baseDomain: mirror}}",
                        "registryMirrors.docker.io.baseDomain: \"mirror\" would be read as a Docker Hub path"),
                Arguments.of("baseDomain a Docker Hub alias", "registryMirrors: {ghcr.io: {baseDomain: index.docker.io}}",
                        "registryMirrors.ghcr.io.baseDomain: \"index.docker.io\" would be read as a Docker Hub path"),
                Arguments.of("duplicate key", "registryMirrors:\n  docker.io: {baseDomain: m.io}\n  docker.io: {baseDomain: n.io}",
                        "not valid YAML: Duplicate field 'docker.io' (line 3, column "),
                Arguments.of("several documents", "registryMirrors: {}\n---\nsecretName: creds",
                        "several YAML documents: a second starts at line 3"),
                Arguments.of("mirror host is a source",
                        "registryMirrors: {docker.io: {baseDomain: ghcr.io}, ghcr.io: {baseDomain: m.io}}",
                        "registryMirrors.docker.io: mirror host ghcr.io is also a source registry"),
                Arguments.of("bad secret name", "secretName: Not_A_Name\nregistryMirrors: {docker.io: {baseDomain: m.io}}",
                        "secretName: \"Not_A_Name\" is not a Kubernetes name"),
                Arguments.of("bad primaryMirror", "primaryMirror: 'a b'\nregistryMirrors: {docker.io: {baseDomain: m.io}}",
                        "primaryMirror: \"a b\" is not a host name"),
                Arguments.of("exclusion not a list", "registryMirrors: {docker.io: {baseDomain: m.io}}\nexclude: {namespaces: x}",
                        "exclude.namespaces: must be a list of strings"),
                Arguments.of("empty exclusion entry", "registryMirrors: {docker.io: {baseDomain: m.io}}\nexclude: {images: ['']}",
                        "exclude.images[0]: must be a non-empty string"),
                Arguments.of("unknown mode", "registryMirrors: {docker.io: {baseDomain: m.io}}\nreplication: {mode: some}",
                        "replication.mode: \"some\" is not one of full, manifest"),
                Arguments.of("bad platform", "registryMirrors: {docker.io: {baseDomain: m.io}}\nreplication: {platforms: [amd64]}",
                        "replication.platforms: \"amd64\" is not os/architecture"),
                Arguments.of("referrers as a string",
                        "registryMirrors: {docker.io: {baseDomain: m.io}}\nreplication: {referrers: \"yes\"}",
                        "replication.referrers: must be true or false, got the string \"yes\""),
                Arguments.of("mirror referrers as a string",
                        "registryMirrors: {docker.io: {baseDomain: m.io, replication: {referrers: \"yes\"}}}",
                        "registryMirrors.docker.io.replication.referrers: must be true or false, got the string \"yes\""),
                Arguments.of("mirror replication as a string",
                        "registryMirrors: {docker.io: {baseDomain: m.io, replication: referrers}}",
                        "registryMirrors.docker.io.replication: must be a mapping, got the string \"referrers\""),
                Arguments.of("mode per mirror",
                        "registryMirrors: {docker.io: {baseDomain: m.io, replication: {mode: manifest}}}",
                        "registryMirrors.docker.io.replication.mode: unknown key (known: referrers)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidConfigurations")
    void namesTheKeyAndTheProblem(String name, String yaml, String expectedMessageStart) {
        ConfigurationException error = assertThrows(ConfigurationException.class, () -> parser.parse(yaml));

        assertTrue(error.getMessage().startsWith(expectedMessageStart),
                () -> "expected a message starting with <" + expectedMessageStart + "> but was <"
                        + error.getMessage() + ">");
    }
}

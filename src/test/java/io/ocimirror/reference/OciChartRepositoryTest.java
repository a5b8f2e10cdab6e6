package io.ocimirror.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class OciChartRepositoryTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            // repository as written, registry, path, chart reference of podinfo 1.0
            "oci://ghcr.io/org/charts, ghcr.io, org/charts, ghcr.io/org/charts/podinfo:1.0",
            "oci://ghcr.io/org/charts///, ghcr.io, org/charts, ghcr.io/org/charts/podinfo:1.0",
            "oci://registry.local:5000/charts, registry.local:5000, charts, registry.local:5000/charts/podinfo:1.0",
            "oci://[::1]:5000/charts, [::1]:5000, charts, [::1]:5000/charts/podinfo:1.0",
            "oci://charts.example.org, charts.example.org, '', charts.example.org/podinfo:1.0",
            "oci://localhost/, localhost, '', localhost/podinfo:1.0",
            "oci://myregistry/charts, myregistry, charts, myregistry/charts/podinfo:1.0",
            "oci://registry-1.docker.io/bitnamicharts, docker.io, bitnamicharts, docker.io/bitnamicharts/podinfo:1.0",
    })
    void parsesRepositories(String written, String registry, String path, String chart) throws Exception {
        OciChartRepository repository = OciChartRepository.parse(written);

        assertEquals(registry, repository.registry());
        assertEquals(path, repository.path());
        assertEquals(chart, repository.chart("podinfo", Optional.of("1.0")).toString());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"oci://", "oci:///charts", "oci://ghcr.io/Org/charts", "oci://ghcr.io/a b",
            "oci://host:port/x", "https://ghcr.io/org", "ghcr.io/org", "oci://ghcr.io//x"})
    void rejectsWhatIsNotAnOciRepository(String written) {
        InvalidReferenceException error = assertThrows(InvalidReferenceException.class,
                () -> OciChartRepository.parse(written));
        assertEquals(written, error.input());
    }

    @Test
    void keepsATaglessReferenceWithoutVersionAndMapsBuildMetadata() throws Exception {
        OciChartRepository repository = OciChartRepository.parse("oci://ghcr.io/org/charts");

        assertEquals("ghcr.io/org/charts/podinfo", repository.chart("podinfo", Optional.empty()).toString());
        assertEquals("ghcr.io/org/charts/podinfo:1.0.0_b.7",
                repository.chart("podinfo", Optional.of("1.0.0+b.7")).toString());
    }

    @Test
    void rejectsChartNamesAndVersionsThatCannotBeAReference() throws Exception {
        OciChartRepository repository = OciChartRepository.parse("oci://ghcr.io/org/charts");

        assertEquals("PodInfo", assertThrows(InvalidReferenceException.class,
                () -> repository.chart("PodInfo", Optional.of("1.0"))).input());
        assertEquals(">=1.0", assertThrows(InvalidReferenceException.class,
                () -> repository.chart("podinfo", Optional.of(">=1.0"))).input());
        assertFalse(OciChartRepository.isValidVersion("^1.2"));
        assertTrue(OciChartRepository.isValidVersion("v1.16.1"));
    }

    static Stream<Arguments> relocations() {
        return Stream.of(
                // repository, new registry, path prefix, relocated
                Arguments.of("oci://harbor.example.com/devops", "mirror.example.com", "harbor-mirror",
                        "oci://mirror.example.com/harbor-mirror/devops"),
                Arguments.of("oci://ghcr.io/org/team/charts", "mirror.example.com", "ghcr-mirror",
                        "oci://mirror.example.com/ghcr-mirror/org/team/charts"),
                Arguments.of("oci://harbor.example.com", "mirror.example.com", "harbor-mirror",
                        "oci://mirror.example.com/harbor-mirror"),
                Arguments.of("oci://registry.local:5000/charts", "cache.local:5001", "", "oci://cache.local:5001/charts"),
                Arguments.of("oci://registry.local:5000", "cache.local:5001", "", "oci://cache.local:5001"));
    }

    @ParameterizedTest(name = "{0} on {1}/{2}")
    @MethodSource("relocations")
    void relocatesKeepingEveryPathComponent(String repository, String registry, String prefix, String relocated)
            throws Exception {
        assertEquals(relocated, OciChartRepository.parse(repository).relocated(registry, prefix).toString());
    }

    @Test
    void refusesChartsWhoseNameIsTooLong() throws Exception {
        OciChartRepository repository = OciChartRepository.parse("oci://ghcr.io/org");

        assertEquals(InvalidReferenceException.Reason.NAME_TOO_LONG, assertThrows(InvalidReferenceException.class,
                () -> repository.chart("a".repeat(244), Optional.of("1.0"))).reason());
        assertEquals(255, repository.chart("a".repeat(243), Optional.of("1.0")).name().length());
    }
}

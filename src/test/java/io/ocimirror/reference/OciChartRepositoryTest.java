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

    static Stream<Arguments> holdingRepositories() {
        return Stream.of(
                // chart reference, chart name, repository holding it
                Arguments.of("mirror.example.com/harbor-mirror/devops/go-test-new:1.5.0", "go-test-new",
                        "oci://mirror.example.com/harbor-mirror/devops"),
                Arguments.of("mirror.example.com/harbor-mirror/devops/go-oci-test/go-test-new:1.5.0",
                        "go-oci-test/go-test-new", "oci://mirror.example.com/harbor-mirror/devops"),
                Arguments.of("mirror.example.com/harbor-mirror/team/sub/app:1", "team/sub/app",
                        "oci://mirror.example.com/harbor-mirror"),
                Arguments.of("cache.local:5001/podinfo:1", "podinfo", "oci://cache.local:5001"));
    }

    @ParameterizedTest(name = "{1} in {0}")
    @MethodSource("holdingRepositories")
    void namesTheRepositoryHoldingAChartWhateverItsNameHolds(String chart, String name, String expected)
            throws Exception {
        assertEquals(expected, OciChartRepository.holding(ImageReference.parse(chart), name).toString());
    }

    @Test
    void refusesAReferenceThatDoesNotEndWithTheName() throws Exception {
        ImageReference chart = ImageReference.parse("mirror.example.com/charts/podinfo:1");

        assertThrows(IllegalArgumentException.class, () -> OciChartRepository.holding(chart, "team/podinfo"));
        assertThrows(IllegalArgumentException.class, () -> OciChartRepository.holding(chart, "info"));
    }

    @Test
    void refusesChartsWhoseNameIsTooLong() throws Exception {
        OciChartRepository repository = OciChartRepository.parse("oci://ghcr.io/org");

        assertEquals(InvalidReferenceException.Reason.NAME_TOO_LONG, assertThrows(InvalidReferenceException.class,
                () -> repository.chart("a".repeat(244), Optional.of("1.0"))).reason());
        assertEquals(255, repository.chart("a".repeat(243), Optional.of("1.0")).name().length());
    }
}

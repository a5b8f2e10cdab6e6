package io.ocimirror.deploy;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The kustomize components (cert-manager, greenhouse, monitoring) compose: a site overlay of deploy/base may list
 * any of them, and every one of the 2^3 combinations renders with {@code kubectl kustomize}, holds exactly the
 * base's objects plus each component's own, and keeps the {@link InstallationContract}.
 */
class ComponentCombinationsTest {

    /** The components, by the name a combination's test shows. */
    static final Map<String, Path> COMPONENTS = new TreeMap<>(Map.of(
            "cert-manager", Path.of("deploy", "components", "cert-manager"),
            "greenhouse", Path.of("deploy", "components", "greenhouse"),
            "monitoring", Path.of("deploy", "monitoring")));

    private static final Path SITES = Path.of("target", "deploy-tests", "sites");
    private static final String NAMESPACE = "oci-mirror-system";
    private static final Map<String, List<String>> RENDERED = new ConcurrentHashMap<>();

    static Stream<Arguments> combinations() {
        List<String> names = new ArrayList<>(COMPONENTS.keySet());
        return IntStream.range(0, 1 << names.size()).mapToObj(bits -> IntStream.range(0, names.size())
                .filter(i -> (bits & (1 << i)) != 0).mapToObj(names::get).toList())
                .map(chosen -> Arguments.of(label(chosen), chosen));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("combinations")
    void rendersTheBasePlusEachComponentsOwnObjects(String name, List<String> chosen) {
        List<String> base = objects(List.of());
        List<String> expected = new ArrayList<>(base);
        for (String component : chosen) {
            List<String> alone = objects(List.of(component));
            alone.removeAll(base);
            expected.addAll(alone);
        }
        List<String> rendered = objects(chosen);
        assertAll(
                () -> assertEquals(new TreeSet<>(expected), new TreeSet<>(rendered), "objects"),
                () -> assertEquals(rendered.size(), new TreeSet<>(rendered).size(), "each object once: " + rendered));
    }

    /** A site overlay of deploy/base with these components, rendered. */
    static Manifests render(List<String> chosen) {
        Path site = SITES.resolve(label(chosen));
        StringBuilder kustomization = new StringBuilder("""
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                resources:
                  - %s
                """.formatted(relative(site, Project.BASE)));
        if (!chosen.isEmpty()) {
            kustomization.append("components:\n");
            chosen.forEach(c -> kustomization.append("  - ").append(relative(site, COMPONENTS.get(c))).append('\n'));
        }
        try {
            Files.createDirectories(site);
            Files.writeString(site.resolve("kustomization.yaml"), kustomization);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Manifests.render(site);
    }

    private static String relative(Path site, Path target) {
        return site.toAbsolutePath().relativize(target.toAbsolutePath()).toString();
    }

    private static String label(List<String> chosen) {
        return chosen.isEmpty() ? "base" : chosen.stream().collect(Collectors.joining("+", "base+", ""));
    }

    /** kind/namespace/name of every object of a combination, rendered once per combination. */
    private static List<String> objects(List<String> chosen) {
        return new ArrayList<>(RENDERED.computeIfAbsent(label(chosen), label -> render(chosen).all().stream()
                .map(o -> o.getKind() + "/" + o.getMetadata().getNamespace() + "/" + o.getMetadata().getName())
                .toList()));
    }

    /** A combination of components, checked against the installation contract. */
    abstract static class Site extends InstallationContract {

        private final Manifests manifests;

        Site(String... components) {
            this.manifests = render(List.of(components));
        }

        @Override
        Manifests manifests() {
            return manifests;
        }

        @Override
        String namespace() {
            return NAMESPACE;
        }
    }

    @Nested
    class Base extends Site {
    }

    @Nested
    class CertManager extends Site {
        CertManager() {
            super("cert-manager");
        }
    }

    @Nested
    class Greenhouse extends Site {
        Greenhouse() {
            super("greenhouse");
        }
    }

    @Nested
    class Monitoring extends Site {
        Monitoring() {
            super("monitoring");
        }
    }

    @Nested
    class CertManagerGreenhouse extends Site {
        CertManagerGreenhouse() {
            super("cert-manager", "greenhouse");
        }
    }

    @Nested
    class CertManagerMonitoring extends Site {
        CertManagerMonitoring() {
            super("cert-manager", "monitoring");
        }
    }

    @Nested
    class GreenhouseMonitoring extends Site {
        GreenhouseMonitoring() {
            super("greenhouse", "monitoring");
        }
    }

    @Nested
    class AllComponents extends Site {
        AllComponents() {
            super("cert-manager", "greenhouse", "monitoring");
        }
    }
}

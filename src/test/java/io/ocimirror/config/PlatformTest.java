package io.ocimirror.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Index entries matched to configured platforms as containerd's platforms package matches them. */
class PlatformTest {

    static Stream<Arguments> entries() {
        return Stream.of(
                // configured, entry os, architecture, variant, matched
                Arguments.of("linux/amd64", "linux", "amd64", "", true),
                Arguments.of("linux/amd64", "linux", "amd64", "v1", true),
                Arguments.of("linux/amd64", "linux", "x86_64", "", true),
                Arguments.of("linux/amd64", "Linux", "AMD64", "", true),
                Arguments.of("linux/amd64", "linux", "amd64", "v3", true),
                Arguments.of("linux/amd64/v3", "linux", "amd64", "v2", false),
                Arguments.of("linux/amd64", "linux", "arm64", "", false),
                Arguments.of("linux/amd64", "windows", "amd64", "", false),
                Arguments.of("linux/arm64", "linux", "arm64", "v8", true),
                Arguments.of("linux/arm64", "linux", "aarch64", "", true),
                Arguments.of("linux/arm64/v8", "linux", "arm64", "", true),
                Arguments.of("linux/arm64/v8", "linux", "arm64", "8", true),
                // v8 is arm64's default, written as no variant: like any platform without one, it warms every variant
                Arguments.of("linux/arm64/v8", "linux", "arm64", "v9", true),
                Arguments.of("linux/arm/v7", "linux", "arm", "", true),
                Arguments.of("linux/arm/v7", "linux", "arm", "7", true),
                Arguments.of("linux/arm/v7", "linux", "armhf", "", true),
                Arguments.of("linux/arm/v6", "linux", "armel", "", true),
                Arguments.of("linux/arm/v6", "linux", "arm", "", false),
                Arguments.of("linux/arm/v6", "linux", "arm", "v7", false),
                Arguments.of("linux/arm", "linux", "arm", "v7", true),
                Arguments.of("linux/arm", "linux", "arm", "v6", false),
                Arguments.of("linux/386", "linux", "i386", "", true),
                Arguments.of("linux/riscv64", "linux", "riscv64", "", true));
    }

    @ParameterizedTest(name = "{0} ~ {1}/{2}/{3}: {4}")
    @MethodSource("entries")
    void matchesAsContainerdDoes(String configured, String os, String architecture, String variant, boolean matched) {
        String[] parts = configured.split("/");
        Platform platform = new Platform(parts[0], parts[1], parts.length > 2 ? Optional.of(parts[2]) : Optional.empty());

        assertEquals(matched, platform.matches(os, architecture, variant));
    }
}

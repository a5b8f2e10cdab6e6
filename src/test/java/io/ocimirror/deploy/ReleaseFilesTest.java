package io.ocimirror.deploy;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** What a release carries besides the code: the licence, the changelog, one version and the image platforms. */
class ReleaseFilesTest {

    @Test
    void licenceIsApache2InTheRepositoryAndThePom() {
        String licence = Project.read(Path.of("LICENSE"));
        String pom = Project.read(Path.of("pom.xml"));
        assertAll(
                () -> assertTrue(licence.contains("Apache License") && licence.contains("Version 2.0, January 2004")
                        && licence.contains("END OF TERMS AND CONDITIONS"), "LICENSE is the full Apache-2.0 text"),
                () -> assertTrue(pom.contains("<name>Apache-2.0</name>"), "pom.xml <licenses> names Apache-2.0"));
    }

    @Test
    void noticeNamesTheCopyrightHolder() {
        assertTrue(Project.read(Path.of("NOTICE")).contains("Copyright 2026 the oci-mirror-webhook authors"));
    }

    @Test
    void everyChangelogVersionHasADate() {
        List<String> undated = Project.read(Path.of("CHANGELOG.md")).lines()
                .filter(line -> line.startsWith("## [") && !line.startsWith("## [Unreleased]"))
                .filter(line -> !line.matches("## \\[\\d+\\.\\d+\\.\\d+] - \\d{4}-\\d{2}-\\d{2}"))
                .toList();
        assertEquals(List.of(), undated, "versions without a date (## [X.Y.Z] - YYYY-MM-DD)");
    }

    @Test
    void readmeContentsListEverySection() {
        String readme = Project.read(Path.of("README.md"));
        List<String> sections = readme.replaceAll("(?s)```.*?```", "").lines()
                .filter(line -> line.startsWith("## ") || line.startsWith("### "))
                .map(line -> line.replaceFirst("^#+ ", ""))
                .filter(title -> !title.equals("Contents"))
                .toList();
        int start = readme.indexOf("## Contents");
        String contents = readme.substring(start, readme.indexOf("\n## ", start + 1));
        List<String> missing = sections.stream().filter(title -> !contents.contains("[" + title + "](#")).toList();
        assertEquals(List.of(), missing, "sections missing from ## Contents");
    }

    @Test
    void versionIsAReleaseWithAChangelogSection() {
        String version = Project.version();
        assertAll(
                () -> assertFalse(version.endsWith("-SNAPSHOT"), "a released version, not " + version),
                () -> assertTrue(Project.read(Path.of("CHANGELOG.md")).contains("\n## [" + version + "]"),
                        "CHANGELOG.md has a section ## [" + version + "]"));
    }

    @Test
    void nothingUnderDeployNamesASnapshot() throws IOException {
        try (Stream<Path> files = Files.walk(Path.of("deploy"))) {
            List<Path> snapshots = files.filter(Files::isRegularFile)
                    .filter(file -> Project.read(file).contains("-SNAPSHOT")).toList();
            assertEquals(List.of(), snapshots, "files under deploy/ that name a -SNAPSHOT version");
        }
    }

    @Test
    void imageIsBuiltForAmd64AndArm64() {
        assertEquals(Set.of("linux/amd64", "linux/arm64"), Set.of(Project.property("quarkus.jib.platforms").split(",")));
    }
}

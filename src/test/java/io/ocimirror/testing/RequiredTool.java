package io.ocimirror.testing;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The programs the tests run, each with the line that installs it. A test that needs one and does not find it
 * fails with that line ({@link #path()}); {@code test.sh} installs the Debian packages named here.
 */
public enum RequiredTool {

    /** Docker Distribution, the registry the replication tests start. */
    DOCKER_REGISTRY("docker-registry", "apt-get install -y docker-registry"),
    /** Apache's htpasswd, for the registries' Basic auth. */
    HTPASSWD("htpasswd", "apt-get install -y apache2-utils"),
    /** openssl, for certs-scripts/webhook-certs.sh and the certificate tests. */
    OPENSSL("openssl", "apt-get install -y openssl"),
    /** Prometheus's promtool, for the alert rule tests. */
    PROMTOOL("promtool", "apt-get install -y prometheus"),
    /** kubectl, whose kustomize renders deploy/. Not a Debian package: the line says where to get it. */
    KUBECTL("kubectl", "install kubectl 1.27 or newer: from the Kubernetes apt repository (pkgs.k8s.io, then"
            + " apt-get install -y kubectl) or the release binary, see https://kubernetes.io/docs/tasks/tools/");

    private final String program;
    private final String installLine;

    RequiredTool(String program, String installLine) {
        this.program = program;
        this.installLine = installLine;
    }

    /** The program's file name. */
    public String program() {
        return program;
    }

    /** How to install it. */
    public String installLine() {
        return installLine;
    }

    /** The Debian package {@code apt-get} installs it from, if there is one. */
    public Optional<String> debianPackage() {
        String prefix = "apt-get install -y ";
        return installLine.startsWith(prefix) ? Optional.of(installLine.substring(prefix.length())) : Optional.empty();
    }

    /**
     * The program on this process's PATH.
     *
     * @throws AssertionError naming the install line when it is missing
     */
    public Path path() {
        return path(System.getenv().getOrDefault("PATH", ""));
    }

    /**
     * The program on the given PATH value.
     *
     * @throws AssertionError naming the install line when it is missing
     */
    public Path path(String pathVariable) {
        return Stream.of(pathVariable.split(File.pathSeparator))
                .filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, program))
                .filter(Files::isExecutable)
                .findFirst()
                .orElseThrow(() -> new AssertionError(missingMessage()));
    }

    /** What a test says when the program is missing. */
    public String missingMessage() {
        return program + " is needed by these tests but is not on PATH. " + installLine
                + " (or run ./test.sh as root, which installs the test prerequisites).";
    }
}

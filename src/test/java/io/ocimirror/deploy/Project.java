package io.ocimirror.deploy;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The project files the deployment must agree with, read as they are on disk (Maven runs tests in the project
 * directory): the application's default configuration, the POM, the deploy/ tree and the certificate script.
 */
final class Project {

    static final Path BASE = Path.of("deploy", "base");
    static final Path CERT_MANAGER = Path.of("deploy", "overlays", "cert-manager");
    static final Path GREENHOUSE = Path.of("deploy", "overlays", "greenhouse");
    static final Path CERTS_SCRIPT = Path.of("certs-scripts", "webhook-certs.sh");
    static final Path FAKE_KUBECTL = Path.of("src", "test", "resources", "deploy", "fake-kubectl.sh");

    private static final Path APPLICATION_PROPERTIES = Path.of("src", "main", "resources", "application.properties");
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{([^}:]+)}");

    private Project() {
    }

    /** A value of application.properties (the default profile), with ${...} references resolved. */
    static String property(String key) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(APPLICATION_PROPERTIES, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String value = properties.getProperty(key);
        if (value == null) {
            throw new AssertionError(key + " is not set in " + APPLICATION_PROPERTIES);
        }
        Matcher reference = REFERENCE.matcher(value);
        StringBuilder resolved = new StringBuilder();
        while (reference.find()) {
            reference.appendReplacement(resolved, Matcher.quoteReplacement(property(reference.group(1))));
        }
        reference.appendTail(resolved);
        return resolved.toString().trim();
    }

    static int intProperty(String key) {
        return Integer.parseInt(property(key));
    }

    /** The project version from pom.xml. */
    static String version() {
        try {
            Element project = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Path.of("pom.xml").toFile())
                    .getDocumentElement();
            for (Node child = project.getFirstChild(); child != null; child = child.getNextSibling()) {
                if ("version".equals(child.getNodeName())) {
                    return child.getTextContent().trim();
                }
            }
            throw new AssertionError("pom.xml has no project version");
        } catch (Exception e) {
            throw new AssertionError("cannot read pom.xml", e);
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package io.ocimirror.web;

import io.ocimirror.config.ConfigurationException;
import io.ocimirror.config.MirrorConfiguration;
import io.ocimirror.config.MirrorConfigurationParser;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The {@code validate [--organization] FILE} command: checks a mirror configuration file (the YAML of the ConfigMap
 * key {@code containerRegistryConfig}) with the parser the webhook uses, without a cluster, TLS files or a server.
 * Strictly, as the webhook reads its own configuration; with {@code --organization}, as it reads a Greenhouse
 * organisation's (unknown keys are left out, as Greenhouse leaves them out, and listed).
 */
final class ConfigurationCheck {

    static final String COMMAND = "validate";
    static final String ORGANIZATION = "--organization";
    static final String USAGE_LINE = "usage: java -jar quarkus-run.jar validate [" + ORGANIZATION + "] FILE";
    static final int VALID = 0;
    static final int INVALID = 1;
    static final int USAGE = 2;

    private final PrintStream out;
    private final PrintStream err;

    ConfigurationCheck(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /**
     * @param arguments the arguments after {@code validate}: one file path, {@code --organization} before it
     * @return {@link #VALID} (0) for a valid configuration, {@link #INVALID} (1) for an invalid or unreadable one,
     *     with the error on {@code err} naming the key, {@link #USAGE} (2) for wrong arguments
     */
    int run(List<String> arguments) {
        boolean organization = !arguments.isEmpty() && arguments.get(0).equals(ORGANIZATION);
        List<String> files = organization ? arguments.subList(1, arguments.size()) : arguments;
        if (files.size() != 1) {
            err.println(USAGE_LINE);
            return USAGE;
        }
        Path file = Path.of(files.get(0));
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (MalformedInputException e) {
            err.println(file + ": invalid: not UTF-8 text");
            return INVALID;
        } catch (IOException e) {
            err.println(file + ": cannot be read: " + e);
            return INVALID;
        }
        try {
            MirrorConfigurationParser parser = new MirrorConfigurationParser();
            MirrorConfigurationParser.Lenient parsed = organization
                    ? parser.parseIgnoringUnknownKeys(text)
                    : new MirrorConfigurationParser.Lenient(parser.parse(text), List.of());
            out.println(file + ": valid: " + describe(parsed.configuration()) + (parsed.ignoredKeys().isEmpty()
                    ? ""
                    : "; keys ignored as Greenhouse ignores them: " + String.join(", ", parsed.ignoredKeys())));
            return VALID;
        } catch (ConfigurationException e) {
            err.println(file + ": invalid: " + e.getMessage());
            return INVALID;
        }
    }

    private static String describe(MirrorConfiguration configuration) {
        if (configuration.mirrors().isEmpty()) {
            return "no mirrors (registryMirrors is empty): nothing is rewritten";
        }
        return configuration.mirrors().size() + " mirrors (" + String.join(", ", configuration.mirrors().keySet())
                + ")";
    }
}

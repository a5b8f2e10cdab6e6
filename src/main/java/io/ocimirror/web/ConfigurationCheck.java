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
 * organisation's (unknown keys are left out, as Greenhouse leaves them out, and listed). Stricter than the running
 * webhook in one way: a mirror's {@code caFile} must exist where the command runs.
 */
final class ConfigurationCheck {

    static final String COMMAND = "validate";
    static final String ORGANIZATION = "--organization";
    static final String USAGE_LINE = "usage: java -jar quarkus-run.jar validate [" + ORGANIZATION + "] FILE";
    static final String HELP_TEXT = String.join("\n",
            "Checks FILE, the YAML of the ConfigMap key containerRegistryConfig, as the webhook reads its own",
            "configuration; with " + ORGANIZATION + ", as it reads a Greenhouse organisation's (unknown keys are",
            "left out and listed). A caFile that does not exist here is an error: run it where the files are mounted.",
            "Exit status: 0 valid, 1 invalid or unreadable, 2 wrong arguments.");
    static final int VALID = 0;
    static final int INVALID = 1;
    static final int USAGE = 2;
    /** {@code --help}: the usage was asked for and printed. */
    static final int HELP_PRINTED = 0;

    private final PrintStream out;
    private final PrintStream err;

    ConfigurationCheck(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /**
     * @param arguments the arguments after {@code validate}: one file path, {@code --organization} before it
     * @return {@link #VALID} (0) for a valid configuration, {@link #INVALID} (1) for an invalid or unreadable one,
     *     with the error on {@code err} naming the key, {@link #USAGE} (2) for wrong arguments; 0 after printing the
     *     usage for {@code --help}
     */
    int run(List<String> arguments) {
        if (arguments.stream().anyMatch(WebhookMain.HELP::contains)) {
            out.println(USAGE_LINE);
            out.println(HELP_TEXT);
            return HELP_PRINTED;
        }
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
            List<String> missing = missingCaFiles(parsed.configuration());
            if (!missing.isEmpty()) {
                missing.forEach(problem -> err.println(file + ": invalid: " + problem));
                return INVALID;
            }
            out.println(file + ": valid: " + describe(parsed.configuration()) + (parsed.ignoredKeys().isEmpty()
                    ? ""
                    : "; keys ignored as Greenhouse ignores them: " + String.join(", ", parsed.ignoredKeys())));
            return VALID;
        } catch (ConfigurationException e) {
            err.println(file + ": invalid: " + e.getMessage());
            return INVALID;
        }
    }

    /**
     * The mirrors whose {@code caFile} is not a readable file here. The webhook itself accepts such a configuration
     * (the file may be mounted later, and the other mirrors work), but replication to that mirror fails until it
     * is there; an admin who checks a file wants to hear it.
     */
    private static List<String> missingCaFiles(MirrorConfiguration configuration) {
        return configuration.mirrors().values().stream()
                .filter(mirror -> mirror.caFile().filter(ca -> !Files.isReadable(ca)).isPresent())
                .map(mirror -> "registryMirrors." + mirror.sourceRegistry() + ".caFile: " + mirror.caFile().get()
                        + " does not exist or cannot be read; replication to " + mirror.baseDomain() + " would fail")
                .sorted()
                .toList();
    }

    private static String describe(MirrorConfiguration configuration) {
        if (configuration.mirrors().isEmpty()) {
            return "no mirrors (registryMirrors is empty): nothing is rewritten";
        }
        return configuration.mirrors().size() + " mirrors (" + String.join(", ", configuration.mirrors().keySet())
                + ")";
    }
}

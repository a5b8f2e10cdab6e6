package io.ocimirror.web;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.io.PrintStream;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The entry point of {@code java -jar quarkus-run.jar}: {@code --help}, {@code validate …} and {@code explain …} are
 * answered and exit before Quarkus starts (so no TLS files, cluster or ports are needed); no arguments, or
 * {@code run}, start the webhook; any other first argument is a usage error (exit 2).
 */
@QuarkusMain
public final class WebhookMain {

    static final String RUN = "run";
    static final int USAGE_ERROR = 2;
    static final Set<String> HELP = Set.of("--help", "-h");
    static final String USAGE = String.join("\n",
            "usage: java -jar quarkus-run.jar [COMMAND]",
            "",
            "commands:",
            "  run                                   serve the webhook (the default without a command)",
            "  " + ConfigurationCheck.COMMAND + " [" + ConfigurationCheck.ORGANIZATION
                    + "] FILE        check a mirror configuration file (exit 0 valid, 1 invalid)",
            "  " + ExplainCommand.COMMAND + " --config FILE [--namespace NS] (IMAGE... | --object FILE) [--output text|json]",
            "                                        what the webhook would do with each image reference",
            "",
            "COMMAND --help prints the usage of one command.");

    /** Package-private, not private: Quarkus registers a {@code @QuarkusMain} class as a bean. */
    WebhookMain() {
    }

    /**
     * Answers a command and exits, or starts the webhook.
     *
     * @param args the command line
     */
    public static void main(String... args) {
        OptionalInt status = command(List.of(args), System.out, System.err);
        if (status.isPresent()) {
            System.exit(status.getAsInt());
        }
        Quarkus.run(args);
    }

    /**
     * @return the exit status of a command that does not need the server (0 for help, 2 for an unknown command), or
     *     empty when the server is to run
     */
    static OptionalInt command(List<String> args, PrintStream out, PrintStream err) {
        if (args.isEmpty()) {
            return OptionalInt.empty();
        }
        List<String> rest = args.subList(1, args.size());
        String command = args.get(0);
        if (HELP.contains(command) || (RUN.equals(command) && rest.stream().anyMatch(HELP::contains))) {
            out.println(USAGE);
            return OptionalInt.of(0);
        }
        return switch (command) {
            case RUN -> OptionalInt.empty();
            case ConfigurationCheck.COMMAND -> OptionalInt.of(new ConfigurationCheck(out, err).run(rest));
            case ExplainCommand.COMMAND -> OptionalInt.of(new ExplainCommand(out, err).run(rest));
            default -> {
                err.println("unknown command \"" + command + "\"");
                err.println(USAGE);
                yield OptionalInt.of(USAGE_ERROR);
            }
        };
    }
}

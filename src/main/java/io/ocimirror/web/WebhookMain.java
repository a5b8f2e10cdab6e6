package io.ocimirror.web;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.util.Arrays;

/**
 * The entry point of {@code java -jar quarkus-run.jar}: with the arguments {@code validate [--organization] FILE} it
 * checks a mirror configuration file and exits (before Quarkus starts, so no TLS files, cluster or ports are needed); with any
 * other arguments it runs the webhook.
 */
@QuarkusMain
public final class WebhookMain {

    /** Package-private, not private: Quarkus registers a {@code @QuarkusMain} class as a bean. */
    WebhookMain() {
    }

    public static void main(String... args) {
        if (args.length > 0 && ConfigurationCheck.COMMAND.equals(args[0])) {
            int status = new ConfigurationCheck(System.out, System.err).run(Arrays.asList(args).subList(1, args.length));
            System.exit(status);
        }
        if (args.length > 0 && ExplainCommand.COMMAND.equals(args[0])) {
            System.exit(new ExplainCommand(System.out, System.err).run(Arrays.asList(args).subList(1, args.length)));
        }
        Quarkus.run(args);
    }
}

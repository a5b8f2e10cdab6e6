package io.ocimirror.registry;

import io.ocimirror.registry.RegistryAccessException.Failure;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.util.Locale;
import javax.net.ssl.SSLException;

/** A mirror that could not be reached, and why, in the words an admin looks for. */
final class Unreachable {

    private Unreachable() {
    }

    /** {@link Failure#UNREACHABLE}, with why in words. */
    static RegistryAccessException because(String what, String why) {
        return new RegistryAccessException(Failure.UNREACHABLE, what + ": " + why);
    }

    /**
     * The JDK client wraps the cause in its own IOException; name the kind of failure from the chain. A host name
     * that does not resolve ends as a {@link ConnectException} caused by an {@link UnresolvedAddressException}, so
     * that is looked for first. A {@link ConnectException} is "connection refused" when it says so, or says nothing:
     * the JDK 17 client wraps a refused connection in {@link ConnectException}s without message. One with another
     * message ("No route to host", "Network is unreachable") is reported with that message.
     */
    static String describe(IOException error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof UnresolvedAddressException || cause instanceof UnknownHostException) {
                return "the host name does not resolve";
            }
        }
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof SSLException tls) {
                return "TLS failed: " + tls.getMessage();
            }
            if (cause instanceof ConnectException connect) {
                String message = connect.getMessage();
                if (message == null || message.isBlank() || message.toLowerCase(Locale.ROOT).contains("refused")) {
                    continue;
                }
                return "connection failed: " + message;
            }
        }
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectException) {
                return "connection refused";
            }
        }
        return error.getClass().getSimpleName() + (error.getMessage() == null ? "" : ": " + error.getMessage());
    }
}

package io.ocimirror.testing.registry;

import io.ocimirror.testing.RequiredTool;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** htpasswd entries made by Apache's {@code htpasswd} (Debian package {@code apache2-utils}). */
final class Htpasswd {

    private static final long TIMEOUT_SECONDS = 30;

    private Htpasswd() {
    }

    /**
     * {@code htpasswd -Bbn user password}: one bcrypt line, the only hash Distribution's htpasswd auth accepts.
     */
    static String bcryptEntry(Credentials credentials) {
        Process process;
        try {
            process = new ProcessBuilder(RequiredTool.HTPASSWD.path().toString(), "-Bbn", credentials.username(),
                    credentials.password())
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run htpasswd: " + e.getMessage(), e);
        }
        try {
            process.getOutputStream().close();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("htpasswd did not finish in " + TIMEOUT_SECONDS + " s");
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.exitValue() != 0 || !output.startsWith(credentials.username() + ":$2")) {
                throw new IllegalStateException("htpasswd failed with code " + process.exitValue() + ": " + output);
            }
            return output.strip() + "\n";
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the output of htpasswd", e);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running htpasswd", e);
        }
    }
}

package io.ocimirror.deploy;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Serves the webhook with a certificate made by certs-scripts/webhook-certs.sh for localhost and 127.0.0.1, from a
 * directory laid out like the mounted Secret volume, so a test can rotate it the way the kubelet would.
 */
public class ScriptCertificates implements QuarkusTestResourceLifecycleManager {

    static final Path ROOT = Path.of("target", "deploy-tls");
    /** The script's directory: CA, bundle, serving certificate. */
    static final Path CERTS = ROOT.resolve("certs");
    /** What the server reads, like /etc/oci-mirror/tls in the pod. */
    static final SecretVolume MOUNT = new SecretVolume(ROOT.resolve("mount"));

    @Override
    public Map<String, String> start() {
        try {
            SecretVolume.delete(ROOT);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        generate();
        MOUNT.publish(CERTS);
        return Map.of(
                "oci-mirror.tls.cert-file", MOUNT.file("tls.crt").toAbsolutePath().toString(),
                "oci-mirror.tls.key-file", MOUNT.file("tls.key").toAbsolutePath().toString());
    }

    @Override
    public void stop() {
    }

    /** Runs {@code webhook-certs.sh generate} for the local names, with extra options such as --renew. */
    static void generate(String... options) {
        List<String> arguments = new ArrayList<>(List.of("generate", "--dir", CERTS.toString(), "--dns", "localhost",
                "--ip", "127.0.0.1"));
        arguments.addAll(List.of(options));
        Tools.run(Tools.bash(Project.CERTS_SCRIPT, arguments.toArray(String[]::new)), Map.of()).stdoutOrFail();
    }
}

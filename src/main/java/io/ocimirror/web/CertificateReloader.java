package io.ocimirror.web;

import io.ocimirror.settings.WebhookSettings;
import io.ocimirror.text.ReadableDuration;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.tls.CertificateUpdatedEvent;
import io.quarkus.tls.TlsConfiguration;
import io.quarkus.tls.TlsConfigurationRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Serves a rotated certificate without a restart: checks the certificate and key files every
 * {@code oci-mirror.tls.reload-interval} and, only when their content changed, reloads the TLS configuration and
 * tells the HTTPS server. The TLS registry's own {@code reload-period} swaps the server's SSL context at every tick
 * even when nothing changed, and Vert.x 4.5 drops connections accepted during a swap.
 */
@ApplicationScoped
class CertificateReloader {

    private static final Logger LOG = Logger.getLogger(CertificateReloader.class);

    private final WebhookSettings.Tls settings;
    private final TlsConfigurationRegistry registry;
    private final Event<CertificateUpdatedEvent> updates;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "certificate-reloader");
        thread.setDaemon(true);
        return thread;
    });
    private byte[] loadedFingerprint;

    CertificateReloader(WebhookSettings settings, TlsConfigurationRegistry registry,
            Event<CertificateUpdatedEvent> updates) {
        this.settings = settings.tls();
        this.registry = registry;
        this.updates = updates;
    }

    void start(@Observes StartupEvent event) {
        loadedFingerprint = fingerprint();
        LOG.infof("Checking %s and %s for a rotated certificate every %s", settings.certFile(), settings.keyFile(),
                ReadableDuration.format(settings.reloadInterval()));
        long interval = settings.reloadInterval().toMillis();
        timer.scheduleWithFixedDelay(this::reloadIfChanged, interval, interval, TimeUnit.MILLISECONDS);
    }

    private void reloadIfChanged() {
        byte[] fingerprint = fingerprint();
        if (fingerprint == null || Arrays.equals(fingerprint, loadedFingerprint)) {
            return;
        }
        TlsConfiguration configuration = registry.get(ReadinessCheck.TLS_CONFIGURATION).orElseThrow();
        // A certificate and key read in the middle of a rotation may not match: the next tick tries again.
        if (configuration.reload()) {
            loadedFingerprint = fingerprint;
            updates.fire(new CertificateUpdatedEvent(ReadinessCheck.TLS_CONFIGURATION, configuration));
            LOG.infof("Serving the rotated certificate from %s", settings.certFile());
        } else {
            LOG.warnf("Cannot load the changed certificate %s and key %s yet; serving the previous one",
                    settings.certFile(), settings.keyFile());
        }
    }

    /** A digest of both files' content; null when one cannot be read (mid-rotation), which changes nothing. */
    private byte[] fingerprint() {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(Files.readAllBytes(settings.certFile()));
            digest.update(Files.readAllBytes(settings.keyFile()));
            return digest.digest();
        } catch (IOException e) {
            LOG.debugf("Cannot read the certificate files: %s", e.getMessage());
            return null;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    void stop(@Observes ShutdownEvent event) {
        timer.shutdownNow();
    }
}

package io.ocimirror.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/** Reads the mirror configuration from a YAML file and re-reads it when its content changes. */
final class FileConfigurationSource implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(FileConfigurationSource.class);
    private static final Duration POLL_INTERVAL = Duration.ofSeconds(2);

    private final Path file;
    private final MirrorConfigurationStore store;
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "config-file-poller");
        thread.setDaemon(true);
        return thread;
    });
    private String lastContent;

    FileConfigurationSource(Path file, MirrorConfigurationStore store) {
        this.file = file;
        this.store = store;
    }

    void start() {
        readIfChanged();
        poller.scheduleWithFixedDelay(this::readIfChanged, POLL_INTERVAL.toMillis(), POLL_INTERVAL.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    private void readIfChanged() {
        try {
            String content = Files.readString(file);
            if (!content.equals(lastContent)) {
                lastContent = content;
                store.update(content, "file " + file);
            }
        } catch (IOException e) {
            LOG.errorf("Cannot read mirror configuration file %s: %s", file, e.getMessage());
        }
    }

    @Override
    public void close() {
        poller.shutdownNow();
    }
}

package io.ocimirror.configstore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Reads a text file now and again whenever its content changes, handing each new content to a consumer. Polls
 * rather than using a file watch: mounted ConfigMaps and Secrets change by a symlink swap that watches miss.
 */
public final class WatchedFile implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(WatchedFile.class);
    private static final Duration POLL_INTERVAL = Duration.ofSeconds(2);

    private final Path file;
    private final String description;
    private final Consumer<String> onChange;
    private final ScheduledExecutorService poller;
    private String lastContent;
    /** The last read failure logged, so that a file missing for hours is one log line, not one per poll. */
    private String lastFailure;

    /** @param description what the file holds, for logs and the polling thread's name */
    public WatchedFile(Path file, String description, Consumer<String> onChange) {
        this.file = file;
        this.description = description;
        this.onChange = onChange;
        this.poller = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, description.replace(' ', '-') + "-poller");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Reads the file once now, then keeps polling. */
    public WatchedFile start() {
        readIfChanged();
        poller.scheduleWithFixedDelay(this::readIfChanged, POLL_INTERVAL.toMillis(), POLL_INTERVAL.toMillis(),
                TimeUnit.MILLISECONDS);
        return this;
    }

    private void readIfChanged() {
        try {
            String content = Files.readString(file);
            lastFailure = null;
            if (!content.equals(lastContent)) {
                lastContent = content;
                onChange.accept(content);
            }
        } catch (IOException e) {
            String failure = e.toString();
            if (!failure.equals(lastFailure)) {
                lastFailure = failure;
                LOG.warnf("Cannot read the %s file %s (the last content read stays in force): %s", description,
                        file, failure);
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "Cannot apply the %s file %s", description, file);
        }
    }

    @Override
    public void close() {
        poller.shutdownNow();
    }
}

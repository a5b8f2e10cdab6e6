package io.ocimirror.rescue;

import io.quarkus.arc.DefaultBean;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/** The wall clock and one daemon thread that runs the rescue's delayed look-agains. */
@DefaultBean
@ApplicationScoped
class SystemRescueTimer implements RescueTimer {

    private static final Logger LOG = Logger.getLogger(SystemRescueTimer.class);

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "pull-failure-rescue");
        thread.setDaemon(true);
        return thread;
    });

    @Override
    public Instant now() {
        return Instant.now();
    }

    @Override
    public void schedule(Runnable task, Duration delay) {
        try {
            scheduler.schedule(task, Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("Not scheduled: shutting down");
        }
    }

    @PreDestroy
    void stop() {
        scheduler.shutdownNow();
    }
}

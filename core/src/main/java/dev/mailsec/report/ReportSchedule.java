package dev.mailsec.report;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A recording mailet's own thread: every {@code every} it flushes the store and, when sending is
 * on, sends the reports of finished periods. A failed run is logged; the next run tries again.
 */
public final class ReportSchedule {

    private static final Logger LOG = LoggerFactory.getLogger(ReportSchedule.class);

    /** Sends the reports of periods finished at {@code now}. */
    @FunctionalInterface
    public interface Job {
        void sendDue(Instant now) throws IOException;
    }

    private final String label;
    private final CounterStore<?> store;
    private final Job job;
    private final Clock clock;
    private final boolean send;
    private final Duration every;
    private ScheduledExecutorService executor;

    /**
     * @param label names the thread and the log lines, e.g. {@code DMARC reports}
     */
    public ReportSchedule(
            String label,
            CounterStore<?> store,
            Job job,
            Clock clock,
            boolean send,
            Duration every) {
        this.label = label;
        this.store = store;
        this.job = job;
        this.clock = clock;
        this.send = send;
        this.every = every;
    }

    public void start() {
        String name = "mailsec-" + label.toLowerCase(Locale.ROOT).replace(' ', '-');
        executor =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, name);
                            t.setDaemon(true);
                            return t;
                        });
        long millis = every.toMillis();
        executor.scheduleWithFixedDelay(this::runOnce, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** One run: flush, then send what is due. */
    public void runOnce() {
        try {
            store.flush();
            if (send) {
                job.sendDue(clock.instant());
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("{}: this run failed ({}); the next one tries again", label, e.toString());
        }
    }

    public void stop() {
        if (executor != null) {
            executor.shutdownNow();
            try {
                executor.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            store.flush();
            store.close();
        } catch (IOException e) {
            LOG.warn("{}: cannot close the store ({})", label, e.toString());
        }
    }
}

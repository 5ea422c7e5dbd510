package dev.mailsec.mailets.dmarc;

import dev.mailsec.dmarc.report.AggregateReporter;
import dev.mailsec.dmarc.report.ReportStore;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The recording mailet's own thread: every {@code every} it flushes the store and, when sending is
 * on, sends the reports of finished periods. A failed run is logged; the next run tries again.
 */
final class ReportSchedule {

    private static final Logger LOG = LoggerFactory.getLogger(ReportSchedule.class);

    private final ReportStore store;
    private final AggregateReporter reporter;
    private final AggregateReporter.Sender sender;
    private final Clock clock;
    private final boolean send;
    private final Duration every;
    private ScheduledExecutorService executor;

    ReportSchedule(
            ReportStore store,
            AggregateReporter reporter,
            AggregateReporter.Sender sender,
            Clock clock,
            boolean send,
            Duration every) {
        this.store = store;
        this.reporter = reporter;
        this.sender = sender;
        this.clock = clock;
        this.send = send;
        this.every = every;
    }

    void start() {
        executor =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, "mailsec-dmarc-reports");
                            t.setDaemon(true);
                            return t;
                        });
        long millis = every.toMillis();
        executor.scheduleWithFixedDelay(this::runOnce, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** One run: flush, then send what is due. */
    void runOnce() {
        try {
            store.flush();
            if (send) {
                reporter.sendDue(clock.instant(), sender);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("DMARC reports: this run failed ({}); the next one tries again", e.toString());
        }
    }

    void stop() {
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
            LOG.warn("DMARC reports: cannot close the store ({})", e.toString());
        }
    }
}

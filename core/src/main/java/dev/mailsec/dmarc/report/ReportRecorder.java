package dev.mailsec.dmarc.report;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts mails into a {@link ReportStore} without ever failing the mail: a store fault or a full
 * period is logged (at most once a minute) and counted, and the mail goes on.
 */
public final class ReportRecorder {

    private static final Logger LOG = LoggerFactory.getLogger(ReportRecorder.class);
    private static final long LOG_EVERY_MILLIS = 60_000;

    private final ReportStore store;
    private final AtomicLong recorded = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong lastLog = new AtomicLong(Long.MIN_VALUE / 2);

    public ReportRecorder(ReportStore store) {
        this.store = store;
    }

    /** Counts {@code row} in {@code period}; never throws. */
    public void record(long period, ReportRow row) {
        try {
            if (store.add(period, row)) {
                recorded.incrementAndGet();
            } else {
                dropped.incrementAndGet();
                logOnce(
                        "DMARC reports: the period for {} is full; this mail is not counted",
                        row.policyDomain());
            }
        } catch (IOException | RuntimeException e) {
            failures.incrementAndGet();
            logOnce("DMARC reports: cannot record a result ({}); mail goes on", e.toString());
        }
    }

    private void logOnce(String format, Object arg) {
        long now = System.currentTimeMillis();
        long last = lastLog.get();
        if (now - last >= LOG_EVERY_MILLIS && lastLog.compareAndSet(last, now)) {
            LOG.warn(format, arg);
        }
    }

    /** Mails counted. */
    public long recorded() {
        return recorded.get();
    }

    /** Mails not counted because their period and domain were full. */
    public long dropped() {
        return dropped.get();
    }

    /** Mails not counted because the store failed. */
    public long failures() {
        return failures.get();
    }
}

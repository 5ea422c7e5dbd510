package dev.mailsec.report;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts mails (or sessions) into a {@link CounterStore} without ever failing the mail: a store
 * fault or a full period is logged (at most once a minute) and counted, and the mail goes on.
 */
public final class CounterRecorder<R extends CountedRow> {

    private static final Logger LOG = LoggerFactory.getLogger(CounterRecorder.class);
    private static final long LOG_EVERY_MILLIS = 60_000;

    private final CounterStore<R> store;
    private final String label;
    private final AtomicLong recorded = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong lastLog = new AtomicLong(Long.MIN_VALUE / 2);

    /**
     * @param label what the log lines call the reports, e.g. {@code DMARC reports}
     */
    public CounterRecorder(CounterStore<R> store, String label) {
        this.store = store;
        this.label = label;
    }

    /** Counts {@code row} in {@code period}; never throws. */
    public void record(long period, R row) {
        try {
            if (store.add(period, row)) {
                recorded.incrementAndGet();
            } else {
                dropped.incrementAndGet();
                logOnce(
                        label + ": the period for {} is full; this result is not counted",
                        row.policyDomain());
            }
        } catch (IOException | RuntimeException e) {
            failures.incrementAndGet();
            logOnce(label + ": cannot record a result ({}); mail goes on", e.toString());
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

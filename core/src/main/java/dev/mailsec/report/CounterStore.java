package dev.mailsec.report;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Counters of report rows (DMARC result tuples, TLS session results) per reporting period (its
 * start, in epoch seconds) and policy domain, bounded in rows per period and domain, and who sends
 * which finished report. {@link FileCounterStore} for one node, {@link JdbcCounterStore} for nodes
 * sharing a PostgreSQL. A fault is an {@code IOException}; {@link CounterRecorder} keeps it away
 * from mail.
 */
public interface CounterStore<R extends CountedRow> extends Closeable {

    /** A period and policy domain that holds rows. */
    final class Pending {
        public final long period;
        public final String policyDomain;

        public Pending(long period, String policyDomain) {
            this.period = period;
            this.policyDomain = policyDomain;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Pending
                    && ((Pending) o).period == period
                    && ((Pending) o).policyDomain.equals(policyDomain);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(period) * 31 + policyDomain.hashCode();
        }

        @Override
        public String toString() {
            return policyDomain + "@" + period;
        }
    }

    /**
     * Counts one mail with this row. False when the row is new and its period and domain already
     * hold the most rows allowed: the mail is not counted.
     */
    boolean add(long period, R row) throws IOException;

    /** The periods (and their domains) that started before {@code before}, oldest first. */
    List<Pending> pending(long before) throws IOException;

    /** The rows of one period and domain with their counts. */
    Map<R, Long> rows(long period, String policyDomain) throws IOException;

    /**
     * Takes the sending of one report: true for exactly one caller (one node of a cluster) until
     * {@link #unclaim} or {@link #remove}.
     */
    boolean claim(long period, String policyDomain) throws IOException;

    /** Gives a claim back (the report could not be sent; another try may). */
    void unclaim(long period, String policyDomain) throws IOException;

    /** Forgets a report's rows and claim (it was sent). */
    void remove(long period, String policyDomain) throws IOException;

    /** Makes counts durable (a store that buffers writes). */
    default void flush() throws IOException {}
}

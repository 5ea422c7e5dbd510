package dev.mailsec.report;

import java.io.IOException;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the reporters (DMARC aggregate reports, TLS reports) share around their store: periods
 * aligned to the epoch, rows most counted first, and the claim each report takes while a node sends
 * it.
 */
public final class ClaimedReports {

    private ClaimedReports() {}

    /** Whether a pending report is due now. */
    public interface Due {
        boolean test(CounterStore.Pending p) throws IOException;
    }

    /** Sends one claimed report; returns whether to keep it for the next run. */
    public interface Send {
        boolean keep(CounterStore.Pending p) throws IOException;
    }

    /** Called once a report has been forgotten. */
    public interface Forgotten {
        void forgotten(CounterStore.Pending p);
    }

    /** The start (epoch seconds) of the period {@code t} falls in; periods align to the epoch. */
    public static long periodOf(Instant t, long intervalSeconds) {
        return Math.floorDiv(t.getEpochSecond(), intervalSeconds) * intervalSeconds;
    }

    /** The rows of one period and domain, most counted first. */
    public static <R extends CountedRow> Map<R, Long> rows(
            CounterStore<R> store, long period, String policyDomain) throws IOException {
        Map<R, Long> rows = new LinkedHashMap<>();
        store.rows(period, policyDomain).entrySet().stream()
                .sorted(Map.Entry.<R, Long>comparingByValue(Comparator.reverseOrder()))
                .forEach(e -> rows.put(e.getKey(), e.getValue()));
        return rows;
    }

    /**
     * For each pending report that is due and that this node claims: {@code send} it, then give the
     * claim back if it says keep (or throws), else forget the report. An {@code IOException} of
     * {@code send} ends the run, the claim given back.
     */
    public static void sendEach(
            CounterStore<?> store,
            List<CounterStore.Pending> pending,
            Due due,
            Send send,
            Forgotten forgotten)
            throws IOException {
        for (CounterStore.Pending p : pending) {
            if (!due.test(p) || !store.claim(p.period, p.policyDomain)) {
                continue;
            }
            // kept (claim given back) unless this run decided: a store read that fails keeps it
            boolean keep = true;
            try {
                keep = send.keep(p);
            } finally {
                if (keep) {
                    store.unclaim(p.period, p.policyDomain);
                } else {
                    store.remove(p.period, p.policyDomain);
                    forgotten.forgotten(p);
                }
            }
        }
    }
}

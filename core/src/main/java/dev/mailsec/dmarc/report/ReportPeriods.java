package dev.mailsec.dmarc.report;

import dev.mailsec.report.CounterStore;
import java.io.IOException;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reporting periods of different lengths per policy domain ({@link ReportingInterval}): where a
 * mail's period starts, and whether a pending period is over. Lengths are remembered when a mail is
 * recorded, or read once from the period's rows (a report another node or an earlier run recorded).
 */
final class ReportPeriods {

    private final long receiverSeconds;
    private final Map<CounterStore.Pending, Long> lengths = new ConcurrentHashMap<>();

    ReportPeriods(long receiverSeconds) {
        this.receiverSeconds = receiverSeconds;
    }

    /** The start (epoch seconds) of {@code row}'s period at {@code t}. */
    long startOf(Instant t, ReportRow row) {
        long length = lengthOf(row.record());
        long start = Math.floorDiv(t.getEpochSecond(), length) * length;
        lengths.putIfAbsent(new CounterStore.Pending(start, row.policyDomain()), length);
        return start;
    }

    /** The period length a record asks for. */
    long lengthOf(String record) {
        return ReportingInterval.seconds(PublishedPolicy.parse("", record).ri(), receiverSeconds);
    }

    /** Whether a pending period is over at {@code now}. */
    boolean finished(CounterStore<ReportRow> store, CounterStore.Pending p, Instant now)
            throws IOException {
        if (p.period + Math.min(receiverSeconds, ReportingInterval.HOUR) > now.getEpochSecond()) {
            return false; // no period is shorter
        }
        Long length = lengths.get(p);
        if (length == null) {
            length = lengthOf(mostUsedRecord(store.rows(p.period, p.policyDomain)));
            lengths.put(p, length);
        }
        return p.period + length <= now.getEpochSecond();
    }

    /** Forgets the periods not pending any more (sent here or by another node). */
    void retain(Collection<CounterStore.Pending> pending) {
        lengths.keySet().retainAll(pending);
    }

    void forget(CounterStore.Pending p) {
        lengths.remove(p);
    }

    /** The record most mails were evaluated against (a record changed mid-period is rare). */
    static String mostUsedRecord(Map<ReportRow, Long> rows) {
        Map<String, Long> byRecord = new LinkedHashMap<>();
        rows.forEach((r, n) -> byRecord.merge(r.record(), n, Long::sum));
        return byRecord.entrySet().stream()
                .max(Map.Entry.comparingByValue())
                .map(Map.Entry::getKey)
                .orElse("");
    }
}

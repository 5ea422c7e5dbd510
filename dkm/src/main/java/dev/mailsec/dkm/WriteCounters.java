package dev.mailsec.dkm;

import dev.mailsec.dkm.internal.AuditChain;
import dev.mailsec.dkm.spi.StoredRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Rollback detection for {@link AuthenticatedStorage}: the MAC'd write counter of each record, the
 * highest one this session has seen or the audit log commits ({@value #COMMIT_ACTION} records
 * listing {@code key#counter}), and the revision and counter last read or written (so a write needs
 * no extra read). A record older than what is known is refused.
 */
final class WriteCounters {
    static final String COMMIT_ACTION = "records.write";

    /** A stored record by key, read without checking its MAC. */
    interface Stored {
        Optional<StoredRecord> get(String key) throws DkmException;
    }

    private final Map<String, Long> seen = new ConcurrentHashMap<>();
    private final Map<String, long[]> lastRead = new ConcurrentHashMap<>();

    /**
     * The counter of the last read or write of {@code key} if it was at {@code revision}, else -1.
     */
    long known(String key, long revision) {
        long[] known = lastRead.get(key);
        return known != null && known[0] == revision ? known[1] : -1;
    }

    /** Notes a write of {@code key} that made it revision {@code revision} with {@code counter}. */
    void written(String key, long revision, long counter) {
        seen.merge(key, counter, Math::max);
        lastRead.put(key, new long[] {revision, counter});
    }

    /**
     * Notes a read of {@code key}; refuses it when its counter is older than one seen before. Only
     * a {@code checked} MAC raises what later reads must reach.
     */
    void read(String key, long revision, long counter, boolean checked)
            throws DkmIntegrityException {
        Long before = seen.get(key);
        if (before != null && counter < before) {
            throw new DkmIntegrityException(
                    rolledBack(key, counter, before, "this session has seen"));
        }
        if (checked) {
            seen.merge(key, counter, Math::max);
        }
        lastRead.put(key, new long[] {revision, counter});
    }

    /**
     * Reads the write commitments of the audit log {@code lines} and checks every record against
     * them. Returns the problems found (empty when none); later reads refuse records older than a
     * commitment.
     */
    List<String> loadCommitments(List<String> lines, Stored store) throws DkmException {
        Map<String, long[]> committed = new HashMap<>();
        for (String line : lines) {
            if (!line.contains("\t" + COMMIT_ACTION + "\t")) {
                continue;
            }
            String[] f = line.split("\t", -1);
            if (f.length != AuditChain.FIELDS
                    || !COMMIT_ACTION.equals(f[3])
                    || !"ok".equals(f[6])) {
                continue;
            }
            long seq = AuditChain.seq(line);
            for (String token : f[7].split(" ")) {
                int hash = token.lastIndexOf('#');
                if (hash <= 0) {
                    continue;
                }
                try {
                    long c = Long.parseLong(token.substring(hash + 1));
                    String key = token.substring(0, hash).replace("%25", "%");
                    long[] prev = committed.get(key);
                    if (prev == null || prev[0] < c) {
                        committed.put(key, new long[] {c, seq});
                    }
                } catch (NumberFormatException e) {
                    // not a commitment token
                }
            }
        }
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, long[]> e : committed.entrySet()) {
            seen.merge(e.getKey(), e.getValue()[0], Math::max);
            Optional<StoredRecord> r = store.get(e.getKey());
            RecordAuthenticator.Opened o =
                    r.isPresent() ? AuthenticatedStorage.opened(r.get()) : null;
            if (!r.isPresent()) {
                problems.add(
                        "record "
                                + e.getKey()
                                + " was removed (audit record #"
                                + e.getValue()[1]
                                + " commits its write "
                                + e.getValue()[0]
                                + ")");
            } else if (o != null && o.counter < e.getValue()[0]) {
                problems.add(
                        rolledBack(
                                e.getKey(),
                                o.counter,
                                e.getValue()[0],
                                "audit record #" + e.getValue()[1]));
            }
        }
        return problems;
    }

    private static String rolledBack(String key, long has, long expected, String where) {
        return "record "
                + key
                + " was rolled back: the store holds its write "
                + has
                + ", "
                + where
                + " has write "
                + expected
                + " (restored from an older copy?)";
    }
}

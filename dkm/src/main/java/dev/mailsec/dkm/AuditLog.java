package dev.mailsec.dkm;

import dev.mailsec.dkm.internal.Aead;
import dev.mailsec.dkm.internal.AuditChain;
import dev.mailsec.dkm.internal.MetaRecord;
import dev.mailsec.dkm.root.RootKeys;
import dev.mailsec.dkm.spi.Storage;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * Writes the audit log: each event of a session becomes a record chained to the log's last one and
 * MACed, with its head checkpoint, under the writer's audit key. Reading and checking the log is
 * {@link AuditCheck}'s job.
 */
final class AuditLog {
    private final Storage raw;
    private final Clock clock;
    private final String writer;
    private final byte[] key;
    private volatile String onBehalfOf;

    AuditLog(Storage raw, Clock clock, String writer, byte[] key) {
        this.raw = raw;
        this.clock = clock;
        this.writer = writer;
        this.key = key;
    }

    /** This session's audit key (also the key of its requester MACs). */
    byte[] key() {
        return key;
    }

    /** Names who this session acts for in every later record's reason (see KeyManager). */
    void onBehalfOf(String principal) {
        this.onBehalfOf = principal;
    }

    void record(String action, String subject, int version, String outcome, String reason)
            throws DkmException {
        String on = onBehalfOf;
        String why =
                on == null
                        ? reason
                        : (reason == null || reason.isEmpty() ? "" : reason + "; ")
                                + "on behalf of "
                                + on;
        AuditChain.Event e = new AuditChain.Event(writer, action, subject, version, outcome, why);
        Instant now = clock.instant();
        boolean durable =
                !("ok".equals(outcome) && ("read".equals(action) || "list".equals(action)));
        appendChained(raw, e, now, writer, key, durable);
    }

    /**
     * Records an event under the root's audit key (e.g. a refused authentication, before any
     * session).
     */
    static void recordAsRoot(
            Storage storage, RootKeys rootKeys, Clock clock, MetaRecord meta, AuditChain.Event e)
            throws DkmException {
        if (rootKeys == null) {
            return; // without a key the record could not be authenticated; the caller is refused
            // anyway
        }
        byte[] key = Envelope.rootAuditKey(rootKeys, meta);
        Instant now = clock.instant();
        appendChained(storage, e, now, Envelope.ROOT_WRITER, key, true);
    }

    void close() {
        Aead.wipe(key);
    }

    /**
     * Appends a record chained to the log's last record. A last line that is no record (garbage
     * appended by hand or a damaged disk) does not stop the key manager: the record chains to the
     * last well-formed one (found by reading the log, only in that case), and audit verify names
     * the foreign line.
     */
    private static void appendChained(
            Storage raw,
            AuditChain.Event e,
            Instant now,
            String writer,
            byte[] key,
            boolean durable)
            throws DkmException {
        try {
            raw.appendAudit(chained(e, now, writer, key, null), durable);
            return;
        } catch (AuditChain.MalformedLogException ex) {
            // fall through: find the last record
        }
        String lastRecord = null;
        List<String> lines = raw.readAudit();
        for (int i = lines.size() - 1; i >= 0 && lastRecord == null; i--) {
            if (AuditChain.seq(lines.get(i)) > 0) {
                lastRecord = lines.get(i);
            }
        }
        try {
            raw.appendAudit(
                    chained(e, now, writer, key, lastRecord == null ? "" : lastRecord), durable);
        } catch (AuditChain.MalformedLogException ex) {
            // no operation goes unaudited: refuse it
            throw new DkmIntegrityException(ex.getMessage(), ex);
        }
    }

    /**
     * Builds the next record and its MACed head checkpoint (both under the writer's audit key).
     * {@code lastRecord}: where to chain when the log's last line is no record ("" = genesis; null
     * = refuse).
     */
    private static Storage.AuditLineBuilder chained(
            AuditChain.Event e, Instant now, String writer, byte[] key, String lastRecord) {
        return new Storage.AuditLineBuilder() {
            @Override
            public String next(String last) {
                if (last != null && AuditChain.seq(last) < 1) {
                    if (lastRecord == null) {
                        throw new AuditChain.MalformedLogException();
                    }
                    return AuditChain.next(
                            lastRecord.isEmpty() ? null : lastRecord, e, now, writer, key);
                }
                return AuditChain.next(last, e, now, writer, key);
            }

            @Override
            public String head(String line) {
                return AuditChain.head(line, writer, key);
            }
        };
    }
}

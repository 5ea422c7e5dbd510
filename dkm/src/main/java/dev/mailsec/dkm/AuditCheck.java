package dev.mailsec.dkm;

import dev.mailsec.dkm.internal.AuditChain;
import dev.mailsec.dkm.internal.IdentityRecord;
import dev.mailsec.dkm.internal.MetaRecord;
import dev.mailsec.dkm.root.RootKeys;
import dev.mailsec.dkm.spi.StoredRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads and checks the audit log: the chain and every writer's MACs, the head checkpoint (records
 * removed from the end), an expected head (the log rolled back as a whole), and the store's records
 * against the log's write commitments. Writing the log is {@link AuditLog}'s job.
 */
final class AuditCheck {
    private final RecordRepository records;
    private final Authorisation auth;
    private final AuditLog audit;

    AuditCheck(RecordRepository records, Authorisation auth, AuditLog audit) {
        this.records = records;
        this.auth = auth;
        this.audit = audit;
    }

    AuditVerification verify(String expectHead) throws DkmException {
        long expectSeq = 0;
        String expectHash = null;
        if (expectHead != null) {
            int colon = expectHead.indexOf(':');
            try {
                expectSeq = colon < 0 ? -1 : Long.parseLong(expectHead.substring(0, colon));
            } catch (NumberFormatException e) {
                expectSeq = -1;
            }
            expectHash = colon < 0 ? "" : expectHead.substring(colon + 1).toLowerCase(Locale.ROOT);
            if (expectSeq < 1 || !expectHash.matches("[0-9a-f]{64}")) {
                throw new DkmInvalidRequestException(
                        "expected head must be SEQ:HASH (a sequence number and 64 hex"
                                + " digits, as printed by audit verify), got '"
                                + expectHead
                                + "'");
            }
        }
        auth.requireAdmin("audit.verify", null);
        AuthenticatedStorage storage = records.storage();
        Map<String, byte[]> keys = new HashMap<>();
        MetaRecord meta = records.get(RecordType.META, null);
        keys.put(Envelope.ROOT_WRITER, Envelope.rootAuditKey(rootKeys(), meta));
        // records are checked (MACs, rollback against the log's commitments) and reported, not
        // thrown
        List<String> recordProblems = storage.checkAll();
        recordProblems.addAll(storage.loadCommitments());
        for (StoredRecord r : storage.raw().list("identity/")) {
            IdentityRecord id = RecordType.IDENTITY.decode(r);
            keys.put(id.name, Envelope.identityAuditKey(rootKeys(), id));
        }
        // the checkpoint first: a record appended between the two reads only makes the log longer
        Optional<String> head = storage.raw().readAuditHead();
        List<String> all = storage.raw().readAudit();
        Object[] bad = AuditChain.verify(all, keys);
        // lines that are no record at all (garbage appended or inserted) were named by verify; the
        // records
        // around them chain, so the checkpoint checks below look at the records alone
        List<String> lines = new ArrayList<>(all.size());
        for (String l : all) {
            if (AuditChain.seq(l) > 0) {
                lines.add(l);
            }
        }
        Object[] foreign = null;
        if (bad != null && ((String) bad[1]).startsWith(AuditChain.FOREIGN)) {
            foreign = bad;
            bad = null;
        }
        String note = null;
        if (bad == null && head.isPresent()) {
            bad = checkHead(head.get(), keys, lines);
        } else if (bad == null && !lines.isEmpty()) {
            note =
                    "no head checkpoint yet: the store predates checkpoints; the next record creates it";
        }
        if (bad == null && expectHash != null) {
            if (expectSeq > lines.size()) {
                bad =
                        new Object[] {
                            (long) lines.size() + 1,
                            "the expected head record "
                                    + expectSeq
                                    + " is missing: records "
                                    + (lines.size() + 1)
                                    + ".."
                                    + expectSeq
                                    + " removed (log rolled back)"
                        };
            } else if (!AuditChain.hash(lines.get((int) expectSeq - 1)).equals(expectHash)) {
                bad =
                        new Object[] {
                            expectSeq,
                            "is not the expected head record (log replaced or rolled back)"
                        };
            }
        }
        if (bad == null && foreign != null) {
            bad = foreign;
        }
        if (bad == null && !recordProblems.isEmpty()) {
            bad =
                    new Object[] {
                        (long) lines.size(),
                        "the store's records do not match: "
                                + recordProblems.get(0)
                                + (recordProblems.size() > 1
                                        ? " (and " + (recordProblems.size() - 1) + " more)"
                                        : "")
                    };
        }
        String last = lines.isEmpty() ? null : lines.get(lines.size() - 1);
        AuditVerification result =
                bad == null
                        ? new AuditVerification(
                                lines.size(),
                                0,
                                null,
                                lines.size(),
                                last == null ? null : AuditChain.hash(last),
                                note)
                        : new AuditVerification(lines.size(), (Long) bad[0], (String) bad[1]);
        audit.record("audit.verify", null, 0, result.intact() ? "ok" : "broken", result.toString());
        return result;
    }

    /** What is wrong with the head checkpoint against the log's records, or null. */
    private static Object[] checkHead(String head, Map<String, byte[]> keys, List<String> lines) {
        Object[] opened = AuditChain.openHead(head, keys);
        if (opened == null) {
            return new Object[] {
                (long) lines.size() + 1,
                "the head checkpoint is not authentic" + " (tampered, or torn by a power cut)"
            };
        }
        long hs = (Long) opened[0];
        if (hs > lines.size()) {
            return new Object[] {
                (long) lines.size() + 1,
                (lines.size() + 1 == hs
                                ? "record " + hs
                                : "records " + (lines.size() + 1) + ".." + hs)
                        + " removed (the head checkpoint names record "
                        + hs
                        + ", the log ends at "
                        + lines.size()
                        + ")"
            };
        }
        if (!AuditChain.hash(lines.get((int) hs - 1)).equals(opened[1])
                || !opened[2].equals(AuditChain.writer(lines.get((int) hs - 1)))) {
            // a checkpoint is MACed by the writer of the record it names, never by someone else
            return new Object[] {hs, "does not match the head checkpoint (record replaced)"};
        }
        return null;
    }

    List<String> tail(int n) throws DkmException {
        auth.requireAdmin("audit.tail", null);
        List<String> lines = records.storage().raw().readAudit();
        List<String> out = new ArrayList<>();
        for (String l : lines.subList(Math.max(0, lines.size() - n), lines.size())) {
            out.add(AuditChain.render(l));
        }
        return out;
    }

    private RootKeys rootKeys() throws DkmAccessDeniedException {
        return auth.rootKeys();
    }
}

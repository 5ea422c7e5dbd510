package dev.mailsec.dkm;

import dev.mailsec.dkm.internal.MetaRecord;
import java.time.Duration;

/**
 * The store-wide policy (rollover periods, approvals, longest grant), kept in the {@code meta}
 * record.
 */
final class StorePolicy {
    private final RecordRepository records;
    private final Authorisation auth;
    private final AuditLog audit;

    StorePolicy(RecordRepository records, Authorisation auth, AuditLog audit) {
        this.records = records;
        this.auth = auth;
        this.audit = audit;
    }

    DkmPolicy get() throws DkmException {
        MetaRecord m = records.get(RecordType.META, null);
        return new DkmPolicy(
                days(m.groupKeysetDays),
                days(m.keyPairDays),
                days(m.symmetricDays),
                days(m.opaqueDays),
                Duration.ofHours(m.keyPairPromoteDelayHours),
                m.approvalsRequired,
                Duration.ofSeconds(m.maxGrantSeconds));
    }

    void set(DkmPolicy policy) throws DkmException {
        auth.requireAdmin("policy.set", null);
        records.update(
                RecordType.META,
                null,
                m -> {
                    write(m, policy);
                    return null;
                });
        audit.record("policy.set", null, 0, "ok", policy.toString());
    }

    static void write(MetaRecord m, DkmPolicy p) {
        m.groupKeysetDays = daysOf(p.groupKeysetRollover());
        m.keyPairDays = daysOf(p.rolloverOf(SecretKind.KEY_PAIR));
        m.symmetricDays = daysOf(p.rolloverOf(SecretKind.SYMMETRIC));
        m.opaqueDays = daysOf(p.rolloverOf(SecretKind.OPAQUE));
        m.keyPairPromoteDelayHours = p.keyPairPromoteDelay().toHours();
        m.approvalsRequired = p.approvalsRequired();
        m.maxGrantSeconds = p.maxGrant().getSeconds();
    }

    private static long daysOf(Duration d) {
        return d == null ? 0 : Math.max(1, d.toDays());
    }

    private static Duration days(long d) {
        return d == 0 ? null : Duration.ofDays(d);
    }
}

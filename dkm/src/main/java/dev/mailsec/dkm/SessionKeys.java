package dev.mailsec.dkm;

import dev.mailsec.dkm.internal.IdentityRecord;
import dev.mailsec.dkm.internal.MetaRecord;
import dev.mailsec.dkm.internal.Records;
import dev.mailsec.dkm.root.RootKeys;
import dev.mailsec.dkm.spi.StoredRecord;
import java.util.Optional;

/** The keys a session holds, handed to {@link AuthenticatedStorage} for its record MACs. */
final class SessionKeys implements AuthenticatedStorage.Keys {
    private final AuthenticatedStorage storage;
    private final RootKeys rootKeys;
    private final RecordRepository records;
    private final String self;
    private final AuditLog audit;
    private GroupKeys groupKeys;

    SessionKeys(
            AuthenticatedStorage storage,
            RootKeys rootKeys,
            RecordRepository records,
            String self,
            AuditLog audit) {
        this.storage = storage;
        this.rootKeys = rootKeys;
        this.records = records;
        this.self = self;
        this.audit = audit;
    }

    /** Set once the session's rooms exist (they need the storage these keys serve). */
    void groupKeys(GroupKeys groupKeys) {
        this.groupKeys = groupKeys;
    }

    @Override
    public byte[] rootAuditKey() throws DkmException {
        if (rootKeys == null) {
            return null;
        }
        Optional<StoredRecord> r = storage.rawGet(Records.META);
        if (!r.isPresent()) {
            return null;
        }
        MetaRecord m = RecordType.META.decode(r.get());
        try {
            return Envelope.rootAuditKey(rootKeys, m);
        } catch (DkmIntegrityException e) {
            return null; // the root key was destroyed (crypto-shred): this session holds no root
            // key any more
        }
    }

    @Override
    public byte[] groupKey(String group, int version) throws DkmException {
        return groupKeys.forRecordMac(group, version);
    }

    @Override
    public int groupWriteVersion(String group) throws DkmException {
        return records.get(RecordType.GROUP, group).primary();
    }

    @Override
    public byte[] auditKey(String identity) throws DkmException {
        if (identity.equals(self)) {
            return audit.key();
        }
        if (rootKeys == null) {
            return null;
        }
        IdentityRecord id;
        try {
            id = records.get(RecordType.IDENTITY, identity);
        } catch (DkmInvalidRequestException e) {
            throw new DkmIntegrityException(
                    "a record is MAC'd by unknown identity '" + identity + "'");
        }
        return Envelope.identityAuditKey(rootKeys, id);
    }

    @Override
    public String self() {
        return self;
    }

    @Override
    public void commit(String keysAndCounters) throws DkmException {
        audit.record(AuthenticatedStorage.COMMIT_ACTION, null, 0, "ok", keysAndCounters);
    }
}

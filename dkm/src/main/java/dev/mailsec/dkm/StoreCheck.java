package dev.mailsec.dkm;

import dev.mailsec.dkm.internal.AuditChain;
import java.util.List;

/**
 * What every session checks when it opens (issue 13, finding 8: a tampered store must fail the
 * start, naming what is wrong, not the first mail): every record it holds the MAC key for, every
 * record against the audit log's write commitments (rollback), and, for an admin with the root key
 * on a store written before records were MAC'd, the one-time migration that adds the MACs.
 */
final class StoreCheck {
    private StoreCheck() {}

    static void atOpen(KeyManager km, AuthenticatedStorage storage, boolean adminWithRoot)
            throws DkmException {
        if (adminWithRoot && !storage.authenticatedStore()) {
            long migratedAt = migrationRecord(storage);
            if (migratedAt > 0) {
                // a store whose MACs were stripped looks old; migrating again would bless whatever
                // was changed
                throw new DkmIntegrityException(
                        "record meta carries no MAC, yet audit record #"
                                + migratedAt
                                + " says this store's records were MAC'd: records were rewritten around DKM (restore a backup)");
            }
            int n = storage.migrate();
            km.auditStore(
                    AuthenticatedStorage.MIGRATE_ACTION,
                    "ok",
                    n + " records MAC'd (store written before" + " records were authenticated)");
        }
        List<String> problems = storage.checkAll();
        problems.addAll(storage.loadCommitments());
        if (!problems.isEmpty()) {
            throw new DkmIntegrityException(
                    "store integrity check failed: "
                            + problems.get(0)
                            + (problems.size() > 1
                                    ? " (and " + (problems.size() - 1) + " more problems)"
                                    : ""));
        }
    }

    /** The sequence number of the audit log's migration record, or 0. */
    private static long migrationRecord(AuthenticatedStorage storage) throws DkmException {
        for (String line : storage.raw().readAudit()) {
            if (line.contains("\t" + AuthenticatedStorage.MIGRATE_ACTION + "\t")) {
                String[] f = line.split("\t", -1);
                if (f.length == AuditChain.FIELDS
                        && AuthenticatedStorage.MIGRATE_ACTION.equals(f[3])
                        && "ok".equals(f[6])) {
                    return AuditChain.seq(line);
                }
            }
        }
        return 0;
    }
}

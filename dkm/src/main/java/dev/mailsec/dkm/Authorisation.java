package dev.mailsec.dkm;

import dev.mailsec.dkm.internal.IdentityRecord;
import dev.mailsec.dkm.internal.SecretRecord;
import dev.mailsec.dkm.root.RootKey;
import dev.mailsec.dkm.root.RootKeys;

/**
 * Who this session is and what it may do: the acting identity, its credential, the root key if the
 * session holds one, and the checks (admin, writer of a group, root key present). A refusal is
 * recorded in the audit log before it is thrown.
 */
final class Authorisation {
    final IdentityRecord actor;
    final Credential credential;
    private final RootKeys rootKeys;
    private final RecordRepository records;
    private final AuditLog audit;

    Authorisation(
            IdentityRecord actor,
            Credential credential,
            RootKeys rootKeys,
            RecordRepository records,
            AuditLog audit) {
        this.actor = actor;
        this.credential = credential;
        this.rootKeys = rootKeys;
        this.records = records;
        this.audit = audit;
    }

    String name() {
        return actor.name;
    }

    boolean isService() {
        return actor.type == IdentityType.SERVICE;
    }

    boolean holdsRootKeys() {
        return rootKeys != null;
    }

    void requireAdmin(String action, String subject) throws DkmException {
        if (!actor.admin) {
            throw fail(
                    action,
                    subject,
                    new DkmAccessDeniedException("'" + actor.name + "' is not an admin"));
        }
    }

    /** Admins, and member services of the secret's group, may change a secret. */
    void requireWriter(String action, SecretRecord s) throws DkmException {
        if (actor.admin) {
            return;
        }
        if (isService()
                && records.get(RecordType.GROUP, s.group).memberSealed.containsKey(actor.name)) {
            return;
        }
        throw fail(
                action,
                s.name,
                new DkmAccessDeniedException(
                        "'" + actor.name + "' may not change secrets of group " + s.group));
    }

    /** The root keys; refused in a session opened without them. */
    RootKeys rootKeys() throws DkmAccessDeniedException {
        if (rootKeys == null) {
            throw new DkmAccessDeniedException(
                    "this operation needs the root key (rootKey= in the configuration)");
        }
        return rootKeys;
    }

    /** The root key the store currently names. */
    RootKey currentRoot() throws DkmException {
        return rootKeys().get(records.get(RecordType.META, null).rootKeyId);
    }

    /** Records a failed attempt and returns the exception for the caller to throw. */
    <E extends DkmException> E fail(String action, String subject, E e) throws DkmException {
        audit.record(
                action,
                subject,
                0,
                e instanceof DkmAccessDeniedException ? "denied" : "failed",
                e.getMessage());
        return e;
    }
}

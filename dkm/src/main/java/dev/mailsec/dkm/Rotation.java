package dev.mailsec.dkm;

import dev.mailsec.dkm.internal.Aead;
import dev.mailsec.dkm.internal.GrantRecord;
import dev.mailsec.dkm.internal.GroupRecord;
import dev.mailsec.dkm.internal.IdentityRecord;
import dev.mailsec.dkm.internal.Keyset;
import dev.mailsec.dkm.internal.SecretRecord;
import dev.mailsec.dkm.internal.SecretVersionRecord;
import dev.mailsec.dkm.root.RootKey;
import dev.mailsec.dkm.spi.Storage;
import dev.mailsec.dkm.spi.Write;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Rotation of what sits above the secrets: group keysets (a new primary version, then every data
 * key of the group re-wrapped), the root key, crypto-shredding, and the rollover policy applied to
 * whatever is due (grants expired, keysets and secrets rolled over).
 */
final class Rotation {
    private final RecordRepository records;
    private final Authorisation auth;
    private final GroupKeys keys;
    private final Secrets secrets;
    private final AccessGrants grants;
    private final StorePolicy policy;
    private final AuditLog audit;
    private final Clock clock;

    Rotation(
            RecordRepository records,
            Authorisation auth,
            GroupKeys keys,
            Secrets secrets,
            AccessGrants grants,
            StorePolicy policy,
            AuditLog audit,
            Clock clock) {
        this.records = records;
        this.auth = auth;
        this.keys = keys;
        this.secrets = secrets;
        this.grants = grants;
        this.policy = policy;
        this.audit = audit;
        this.clock = clock;
    }

    int rotateGroupKeyset(String group) throws DkmException {
        auth.requireAdmin("rotate-keyset", group);
        int[] newVersion = new int[1];
        Keyset ks =
                records.update(
                        RecordType.GROUP,
                        group,
                        g -> {
                            Keyset keyset = keys.viaRoot(g);
                            newVersion[0] = 0;
                            for (GroupRecord.KeyVersion v : g.versions) {
                                newVersion[0] = Math.max(newVersion[0], v.version);
                                if (v.state == VersionState.PRIMARY) {
                                    v.state = VersionState.ARCHIVED;
                                }
                            }
                            GroupRecord.KeyVersion nv = new GroupRecord.KeyVersion();
                            nv.version = ++newVersion[0];
                            nv.state = VersionState.PRIMARY;
                            nv.createdAt = clock.millis();
                            g.versions.add(nv);
                            keyset.keys.put(nv.version, Aead.newKey());
                            keys.reseal(g, keyset);
                            return keyset;
                        });
        keys.forget(group);
        audit.record("rotate-keyset", group, newVersion[0], "ok", null);
        int n = rewrapDataKeys(group, ks, newVersion[0]);
        audit.record("rewrap", group, newVersion[0], "ok", n + " data keys");
        return n;
    }

    private int rewrapDataKeys(String group, Keyset ks, int target) throws DkmException {
        List<Write> writes = new ArrayList<>();
        int count = 0;
        for (RecordRepository.Loaded<SecretRecord> l : records.list(RecordType.SECRET)) {
            if (l.value.group.equals(group) && rewrap(l.value, ks, target) > 0) {
                writes.add(records.write(RecordType.SECRET, l));
                count += SecretVersions.live(l.value);
            }
        }
        try {
            records.writeAll(writes);
            return count;
        } catch (Storage.ConflictException e) {
            // someone changed a secret meanwhile: fall back to one record at a time
            count = 0;
        }
        for (Write w : writes) {
            String name = w.key().substring(RecordType.SECRET.prefix.length());
            count +=
                    records.updateIfPresent(
                                    RecordType.SECRET, name, s -> rewrap(s, ks, target), n -> n > 0)
                            .orElse(0);
        }
        return count;
    }

    /**
     * Moves the data keys of {@code s} under keyset version {@code target}; returns how many moved.
     */
    private static int rewrap(SecretRecord s, Keyset ks, int target) throws DkmException {
        int n = 0;
        for (SecretVersionRecord v : s.versions) {
            // keyset versions only grow: a data key already under a newer version was re-wrapped by
            // a
            // concurrent rollover, and must not be moved back
            if (v.state == VersionState.DESTROYED || v.groupKeyVersion >= target) {
                continue;
            }
            Envelope.rewrapDataKey(
                    s, v, ks.keys.get(v.groupKeyVersion), target, ks.keys.get(target));
            n++;
        }
        return n;
    }

    String rotateRoot() throws DkmException {
        auth.requireAdmin("rotate-root", null);
        String old = records.get(RecordType.META, null).rootKeyId;
        RootKey nu = auth.rootKeys().create();
        for (RecordRepository.Loaded<GroupRecord> l : records.list(RecordType.GROUP)) {
            records.update(
                    RecordType.GROUP,
                    l.value.name,
                    g -> {
                        Envelope.wrapKeyset(g, nu, keys.viaRoot(g));
                        return null;
                    });
        }
        for (RecordRepository.Loaded<IdentityRecord> l : records.list(RecordType.IDENTITY)) {
            records.update(
                    RecordType.IDENTITY,
                    l.value.name,
                    id -> {
                        Envelope.wrapIdentityAuditKey(
                                id, nu, Envelope.identityAuditKey(auth.rootKeys(), id));
                        return null;
                    });
        }
        records.update(
                RecordType.META,
                null,
                m -> {
                    Envelope.wrapRootAuditKey(m, nu, Envelope.rootAuditKey(auth.rootKeys(), m));
                    return null;
                });
        audit.record("rotate-root", null, 0, "ok", "from " + old + " to " + nu.id());
        return old;
    }

    void destroyRootKey(String id) throws DkmException {
        auth.requireAdmin("destroy-root", id);
        if (id.equals(records.get(RecordType.META, null).rootKeyId)) {
            throw auth.fail(
                    "destroy-root",
                    id,
                    new DkmInvalidRequestException(id + " is the current root key; rotate first"));
        }
        for (RecordRepository.Loaded<GroupRecord> l : records.list(RecordType.GROUP)) {
            if (id.equals(l.value.rootKeyId)) {
                throw auth.fail(
                        "destroy-root",
                        id,
                        new DkmInvalidRequestException(
                                id + " still wraps " + l.key + "; run root rotate again"));
            }
        }
        auth.rootKeys().destroy(id);
        audit.record("destroy-root", id, 0, "ok", null);
    }

    void shred(String reason) throws DkmException {
        auth.requireAdmin("shred", null);
        if (reason == null || reason.trim().isEmpty()) {
            throw new DkmInvalidRequestException("reason: required");
        }
        String rootId = records.get(RecordType.META, null).rootKeyId;
        List<Write> writes = new ArrayList<>();
        for (RecordRepository.Loaded<GroupRecord> l : records.list(RecordType.GROUP)) {
            l.value.memberSealed.clear();
            writes.add(records.write(RecordType.GROUP, l));
        }
        for (RecordRepository.Loaded<GrantRecord> l : records.list(RecordType.GRANT)) {
            l.value.sealedDataKeys = null;
            if (AccessRequest.Status.APPROVED.name().equals(l.value.state)) {
                l.value.state = AccessRequest.Status.EXPIRED.name();
            }
            writes.add(records.write(RecordType.GRANT, l));
        }
        try {
            records.writeAll(writes);
        } catch (Storage.ConflictException e) {
            throw new DkmUnavailableException("store changed during shred; run it again");
        }
        audit.record("shred", null, 0, "ok", reason);
        auth.rootKeys().destroy(rootId);
    }

    /**
     * When each group keyset's primary version was created, for the groups this identity may see
     * (all for an admin, its own groups otherwise): metadata only, no key, so that a status can
     * tell which keyset rollovers {@link #rotateDue} would do.
     */
    Map<String, Instant> keysetPrimaryCreated() throws DkmException {
        Map<String, Instant> out = new TreeMap<>();
        for (RecordRepository.Loaded<GroupRecord> l : records.list(RecordType.GROUP)) {
            GroupRecord g = l.value;
            if (auth.actor.admin || g.memberSealed.containsKey(auth.name())) {
                out.put(g.name, Instant.ofEpochMilli(g.version(g.primary()).createdAt));
            }
        }
        return out;
    }

    List<String> rotateDue() throws DkmException {
        auth.requireAdmin("rotate-due", null);
        auth.currentRoot();
        DkmPolicy p = policy.get();
        Instant now = clock.instant();
        List<String> done = new ArrayList<>(grants.expireDue());
        for (RecordRepository.Loaded<GroupRecord> l : records.list(RecordType.GROUP)) {
            GroupRecord g = l.value;
            GroupRecord.KeyVersion primary = g.version(g.primary());
            if (p.groupKeysetRollover() != null
                    && !Instant.ofEpochMilli(primary.createdAt)
                            .plus(p.groupKeysetRollover())
                            .isAfter(now)) {
                int n = rotateGroupKeyset(g.name);
                done.add(
                        "group " + g.name + ": keyset rolled over, " + n + " data keys re-wrapped");
            }
        }
        for (RecordRepository.Loaded<SecretRecord> l : records.list(RecordType.SECRET)) {
            rollOver(l.value, p, now, done);
        }
        audit.record("rotate-due", null, 0, "ok", done.size() + " action(s)");
        return done;
    }

    private void rollOver(SecretRecord s, DkmPolicy p, Instant now, List<String> done)
            throws DkmException {
        Duration period = p.rolloverOf(s.kind);
        if (period == null) {
            return;
        }
        SecretVersionRecord pending = SecretVersions.pending(s);
        boolean due = !Instant.ofEpochMilli(s.primary().createdAt).plus(period).isAfter(now);
        if (s.kind == SecretKind.KEY_PAIR && pending != null) {
            if (!Instant.ofEpochMilli(pending.createdAt)
                    .plus(p.keyPairPromoteDelay())
                    .isAfter(now)) {
                secrets.promote(s.name, pending.version);
                done.add("secret " + s.name + ": v" + pending.version + " promoted to primary");
            }
        } else if (due && s.kind == SecretKind.OPAQUE) {
            done.add(
                    "secret "
                            + s.name
                            + ": rollover due, needs a new value (secret rotate "
                            + s.name
                            + ")");
        } else if (due
                && pending == null
                && s.kind == SecretKind.KEY_PAIR
                && !s.primary().certificates.isEmpty()) {
            // a key with a certificate (S/MIME, a TLS client certificate): a generated key would
            // have none, and its users would stop working; the new key and certificate come from
            // the CA
            done.add(
                    "secret "
                            + s.name
                            + ": rollover due, needs a new key and certificate from its CA (secret rotate "
                            + s.name
                            + " --stdin)");
        } else if (due && pending == null) {
            int v = secrets.rotate(s.name);
            if (s.kind == SecretKind.KEY_PAIR && !p.keyPairPromoteDelay().isZero()) {
                done.add(
                        "secret "
                                + s.name
                                + ": v"
                                + v
                                + " added; publish it, promotion after "
                                + p.keyPairPromoteDelay());
            } else {
                secrets.promote(s.name, v);
                done.add("secret " + s.name + ": v" + v + " added and promoted");
            }
        }
    }
}

package dev.mailsec.dkm;

import dev.mailsec.dkm.internal.GroupRecord;
import dev.mailsec.dkm.internal.IdentityRecord;
import dev.mailsec.dkm.internal.Keyset;
import dev.mailsec.dkm.internal.SecretRecord;
import dev.mailsec.dkm.root.RootKey;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Opens group keysets for this session: through the root key (admins), through the copy sealed to a
 * member service's credential (cached for a bounded time, reloaded after a rollover), and seals a
 * changed keyset again for the root and every member.
 */
final class GroupKeys {
    private final RecordRepository records;
    private final Authorisation auth;
    private final Clock clock;
    private final Duration cacheTtl;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    private static final class Cached {
        final Keyset keyset;
        final long expiresAt;

        Cached(Keyset keyset, long expiresAt) {
            this.keyset = keyset;
            this.expiresAt = expiresAt;
        }
    }

    GroupKeys(RecordRepository records, Authorisation auth, Clock clock, Duration cacheTtl) {
        this.records = records;
        this.auth = auth;
        this.clock = clock;
        this.cacheTtl = cacheTtl;
    }

    Keyset viaRoot(GroupRecord g) throws DkmException {
        return Envelope.unwrapKeyset(auth.rootKeys(), g);
    }

    /**
     * The keyset a new version is sealed under: a member's own copy, or via the root for admins.
     */
    Keyset forWrite(GroupRecord g) throws DkmException {
        byte[] sealed = g.memberSealed.get(auth.name());
        if (auth.isService() && sealed != null) {
            Keyset ks = Envelope.openMemberKeyset(auth.credential, g.name, auth.name(), sealed);
            if (ks == null) {
                throw new DkmIntegrityException(
                        "keyset of group "
                                + g.name
                                + " sealed to '"
                                + auth.name()
                                + "' does not open with its credential");
            }
            return ks;
        }
        if (auth.actor.admin) {
            return viaRoot(g);
        }
        throw new DkmAccessDeniedException(
                "identity '" + auth.name() + "' may not write to group " + g.name);
    }

    /** The group key for a member service reading {@code s}; cached for a bounded time. */
    byte[] forMemberRead(SecretRecord s, int keyVersion) throws DkmException {
        Cached c = cache.get(s.group);
        if (c != null && c.expiresAt > clock.millis() && c.keyset.keys.containsKey(keyVersion)) {
            return c.keyset.keys.get(keyVersion);
        }
        GroupRecord g = records.get(RecordType.GROUP, s.group);
        byte[] sealed = g.memberSealed.get(auth.name());
        if (sealed == null) {
            cache.remove(s.group);
            throw auth.fail(
                    "read",
                    s.name,
                    new DkmAccessDeniedException(
                            "identity '" + auth.name() + "' is not a member of group " + s.group));
        }
        Keyset ks = Envelope.openMemberKeyset(auth.credential, g.name, auth.name(), sealed);
        if (ks == null) {
            throw auth.fail(
                    "read",
                    s.name,
                    new DkmIntegrityException(
                            "keyset of group "
                                    + g.name
                                    + " sealed to '"
                                    + auth.name()
                                    + "' does not open with its credential"));
        }
        cache.put(s.group, new Cached(ks, clock.millis() + cacheTtl.toMillis()));
        return ks.keys.get(keyVersion);
    }

    /**
     * A keyset version for checking or making a record MAC: via the root when held, else a member
     * service's copy; null when this session holds neither.
     */
    byte[] forRecordMac(String group, int version) throws DkmException {
        GroupRecord g = records.get(RecordType.GROUP, group);
        Keyset ks;
        byte[] sealed = g.memberSealed.get(auth.name());
        if (auth.holdsRootKeys()) {
            ks = viaRoot(g);
        } else if (auth.isService() && sealed != null) {
            ks = Envelope.openMemberKeyset(auth.credential, g.name, auth.name(), sealed);
            if (ks == null) {
                throw new DkmIntegrityException(
                        "keyset of group "
                                + g.name
                                + " sealed to '"
                                + auth.name()
                                + "' does not open with its credential");
            }
        } else {
            return null;
        }
        byte[] k = ks.keys.get(version);
        if (k == null) {
            // a holder of the keyset that lacks the version named: not "unverifiable", but forged
            throw new DkmIntegrityException(
                    "a record of group "
                            + group
                            + " names keyset version "
                            + version
                            + ", which the group does not have");
        }
        return k;
    }

    /** Seals a changed keyset again: under the group's root key and to every member. */
    void reseal(GroupRecord g, Keyset ks) throws DkmException {
        RootKey root = auth.rootKeys().get(g.rootKeyId);
        Envelope.wrapKeyset(g, root, ks);
        for (Map.Entry<String, byte[]> e : g.memberSealed.entrySet()) {
            IdentityRecord member = records.get(RecordType.IDENTITY, e.getKey());
            e.setValue(Envelope.sealToMember(g, e.getKey(), Envelope.publicKeyOf(member), ks));
        }
    }

    void forget(String group) {
        cache.remove(group);
    }

    void clear() {
        cache.clear();
    }
}

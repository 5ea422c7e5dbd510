package dev.mailsec.dkm;

import dev.mailsec.dkm.internal.GroupRecord;
import dev.mailsec.dkm.internal.Keyset;
import dev.mailsec.dkm.internal.SecretRecord;
import dev.mailsec.dkm.internal.SecretVersionRecord;
import dev.mailsec.dkm.spi.Storage;
import dev.mailsec.dkm.spi.Write;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Secrets and their versions: creating a secret (version 1, primary), rollover (add a version, then
 * promote it), destroying a version's material, listing, and reading values for a member service or
 * a person holding a grant.
 */
final class Secrets {
    private static final Pattern SECRET_NAME =
            Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@+/=-]{0,199}");

    private final RecordRepository records;
    private final Authorisation auth;
    private final GroupKeys keys;
    private final AccessGrants grants;
    private final AuditLog audit;
    private final Clock clock;

    Secrets(
            RecordRepository records,
            Authorisation auth,
            GroupKeys keys,
            AccessGrants grants,
            AuditLog audit,
            Clock clock) {
        this.records = records;
        this.auth = auth;
        this.keys = keys;
        this.grants = grants;
        this.audit = audit;
        this.clock = clock;
    }

    void create(String name, String group, SecretKind kind, SecretMaterial m) throws DkmException {
        Identities.checkName(SECRET_NAME, "secret", name);
        if (name.contains("..") || name.endsWith("/")) {
            throw new DkmInvalidRequestException("secret: malformed name '" + name + "'");
        }
        GroupRecord g = records.get(RecordType.GROUP, group);
        SecretRecord s = newSecret(name, group, kind);
        auth.requireWriter("write", s);
        Keyset ks = keys.forWrite(g);
        s.versions.add(
                SecretVersions.seal(
                        s, 1, VersionState.PRIMARY, m, ks, g.primary(), clock.millis()));
        if (!records.insert(RecordType.SECRET, name, s)) {
            throw auth.fail(
                    "write",
                    name,
                    new DkmInvalidRequestException(
                            "secret '"
                                    + name
                                    + "' exists already; use secret rotate to add a version"));
        }
        audit.record("write", name, 1, "ok", kind.name());
    }

    /** Creates an OPAQUE or SYMMETRIC secret from a given value (version 1, primary). */
    void createValue(String name, String group, SecretKind kind, byte[] value) throws DkmException {
        if (kind == SecretKind.KEY_PAIR) {
            throw new DkmInvalidRequestException("kind: use putKeyPair for KEY_PAIR secrets");
        }
        create(name, group, kind, SecretMaterial.value(kind, value));
    }

    /** Creates a secret from freshly generated material: an AES-256 key or a key pair. */
    void generate(String name, String group, SecretKind kind, String algorithm)
            throws DkmException {
        if (kind == SecretKind.SYMMETRIC) {
            create(name, group, kind, SecretMaterial.newSymmetricKey());
        } else if (kind == SecretKind.KEY_PAIR) {
            create(name, group, kind, SecretMaterial.newKeyPair(algorithm));
        } else {
            throw new DkmInvalidRequestException(
                    "kind: OPAQUE secrets cannot be generated; give a value");
        }
    }

    void importSecrets(String group, SecretKind kind, Map<String, byte[]> values)
            throws DkmException {
        if (kind == SecretKind.KEY_PAIR) {
            throw new DkmInvalidRequestException(
                    "kind: import KEY_PAIR secrets one by one with putKeyPair");
        }
        GroupRecord g = records.get(RecordType.GROUP, group);
        List<Write> writes = new ArrayList<>();
        Keyset ks = null;
        for (Map.Entry<String, byte[]> e : values.entrySet()) {
            Identities.checkName(SECRET_NAME, "secret", e.getKey());
            SecretMaterial m = SecretMaterial.value(kind, e.getValue());
            SecretRecord s = newSecret(e.getKey(), group, kind);
            if (ks == null) {
                auth.requireWriter("import", s);
                ks = keys.forWrite(g);
            }
            s.versions.add(
                    SecretVersions.seal(
                            s, 1, VersionState.PRIMARY, m, ks, g.primary(), clock.millis()));
            writes.add(new Write(RecordType.SECRET.key(s.name), 0, RecordType.SECRET.encode(s)));
        }
        try {
            records.writeAll(writes);
        } catch (Storage.ConflictException e) {
            throw auth.fail(
                    "import",
                    group,
                    new DkmInvalidRequestException(e.getMessage() + " (exists already)"));
        }
        audit.record("import", group, 0, "ok", writes.size() + " " + kind + " secrets");
    }

    private SecretRecord newSecret(String name, String group, SecretKind kind) {
        SecretRecord s = new SecretRecord();
        s.name = name;
        s.kind = kind;
        s.group = group;
        s.createdAt = clock.millis();
        return s;
    }

    /** Rollover step 1 with a given value (not for KEY_PAIR secrets). */
    int addValueVersion(String name, byte[] value) throws DkmException {
        SecretKind kind = records.get(RecordType.SECRET, name).kind;
        if (kind == SecretKind.KEY_PAIR) {
            throw new DkmInvalidRequestException(
                    "kind: use addKeyPairVersion for KEY_PAIR secrets");
        }
        return addVersion(name, SecretMaterial.value(kind, value));
    }

    /** Rollover step 1: adds a version in state ENABLED (not used for new work yet). */
    int addVersion(String name, SecretMaterial m) throws DkmException {
        int v =
                records.update(
                        RecordType.SECRET,
                        name,
                        s -> {
                            auth.requireWriter("rotate", s);
                            GroupRecord g = records.get(RecordType.GROUP, s.group);
                            Keyset ks = keys.forWrite(g);
                            int n = s.nextVersion();
                            s.versions.add(
                                    SecretVersions.seal(
                                            s,
                                            n,
                                            VersionState.ENABLED,
                                            m,
                                            ks,
                                            g.primary(),
                                            clock.millis()));
                            return n;
                        });
        audit.record("rotate", name, v, "ok", "version added (ENABLED, not yet primary)");
        return v;
    }

    /**
     * Rollover step 1 with generated material of the secret's kind (and the primary's algorithm).
     */
    int rotate(String name) throws DkmException {
        SecretRecord s = records.get(RecordType.SECRET, name);
        switch (s.kind) {
            case SYMMETRIC:
                return addVersion(name, SecretMaterial.newSymmetricKey());
            case KEY_PAIR:
                SecretVersionRecord p = s.primary();
                return addVersion(name, SecretMaterial.newKeyPairLike(p.algorithm, p.publicKey));
            default:
                throw auth.fail(
                        "rotate",
                        name,
                        new DkmInvalidRequestException(
                                name
                                        + " is OPAQUE: give the new value (secret rotate reads it from stdin)"));
        }
    }

    /** Rollover step 2: makes an ENABLED version primary; the former primary is archived. */
    void promote(String name, int version) throws DkmException {
        auth.requireWriter("promote", records.get(RecordType.SECRET, name));
        records.update(
                RecordType.SECRET,
                name,
                s -> {
                    try {
                        SecretVersions.promote(s, version);
                    } catch (DkmInvalidRequestException e) {
                        throw auth.fail("promote", name, e);
                    }
                    return null;
                });
        audit.record("promote", name, version, "ok", null);
    }

    void destroyVersion(String name, int version) throws DkmException {
        auth.requireAdmin("destroy", name);
        records.update(
                RecordType.SECRET,
                name,
                s -> {
                    try {
                        SecretVersions.destroy(s, version);
                    } catch (DkmInvalidRequestException e) {
                        throw auth.fail("destroy", name, e);
                    }
                    return null;
                });
        audit.record("destroy", name, version, "ok", null);
    }

    List<SecretInfo> list() throws DkmException {
        List<SecretInfo> out = new ArrayList<>();
        for (RecordRepository.Loaded<SecretRecord> l : records.list(RecordType.SECRET)) {
            SecretRecord s = l.value;
            Map<Integer, VersionState> states = new TreeMap<>();
            Instant primaryAt = null;
            for (SecretVersionRecord v : s.versions) {
                states.put(v.version, v.state);
                if (v.state == VersionState.PRIMARY) {
                    primaryAt = Instant.ofEpochMilli(v.createdAt);
                }
            }
            out.add(new SecretInfo(s.name, s.kind, s.group, states, primaryAt));
        }
        audit.record("list", null, 0, "ok", null);
        return out;
    }

    SecretHandle get(String name) throws DkmException {
        SecretRecord s;
        try {
            s = records.get(RecordType.SECRET, name);
        } catch (DkmInvalidRequestException e) {
            throw auth.fail("read", name, e);
        }
        List<SecretVersion> out = new ArrayList<>();
        if (auth.isService()) {
            for (SecretVersionRecord v : s.versions) {
                if (v.state == VersionState.DESTROYED) {
                    continue;
                }
                byte[] groupKey = keys.forMemberRead(s, v.groupKeyVersion);
                out.add(SecretVersions.open(s, v, Envelope.unwrapDataKey(s, v, groupKey)));
            }
        } else {
            Map<Integer, byte[]> deks = grants.dataKeysFor(name);
            for (SecretVersionRecord v : s.versions) {
                byte[] dek = deks.get(v.version);
                if (v.state != VersionState.DESTROYED && dek != null) {
                    out.add(SecretVersions.open(s, v, dek));
                }
            }
        }
        audit.record("read", name, SecretVersions.primaryNumber(s), "ok", null);
        return new SecretHandle(s.name, s.kind, s.group, out);
    }
}

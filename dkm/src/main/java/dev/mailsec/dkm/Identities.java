package dev.mailsec.dkm;

import dev.mailsec.dkm.internal.Aead;
import dev.mailsec.dkm.internal.GroupRecord;
import dev.mailsec.dkm.internal.IdentityRecord;
import dev.mailsec.dkm.internal.Keyset;
import dev.mailsec.dkm.root.RootKey;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Identities and groups: creates identities (with their credential and audit key) and groups (with
 * a first keyset), and manages group membership, which is a copy of the group keyset sealed to a
 * service.
 */
final class Identities {
    private final RecordRepository records;
    private final Authorisation auth;
    private final GroupKeys keys;
    private final AuditLog audit;
    private final Clock clock;

    Identities(
            RecordRepository records,
            Authorisation auth,
            GroupKeys keys,
            AuditLog audit,
            Clock clock) {
        this.records = records;
        this.auth = auth;
        this.keys = keys;
        this.audit = audit;
        this.clock = clock;
    }

    void createIdentity(String name, IdentityType type, boolean admin, Path credentialFile)
            throws DkmException {
        auth.requireAdmin("identity.create", name);
        checkName(RecordType.IDENTITY_NAME, "identity", name);
        if (records.exists(RecordType.IDENTITY, name)) {
            throw auth.fail(
                    "identity.create",
                    name,
                    new DkmInvalidRequestException("identity '" + name + "' exists already"));
        }
        RootKey root = auth.currentRoot();
        Credential cred = Credential.generate(name);
        IdentityRecord rec =
                newIdentity(name, type, admin, cred.publicKey(), Aead.newKey(), root, clock);
        cred.save(credentialFile);
        if (!records.insert(RecordType.IDENTITY, name, rec)) {
            throw auth.fail(
                    "identity.create",
                    name,
                    new DkmInvalidRequestException("identity '" + name + "' exists already"));
        }
        audit.record("identity.create", name, 0, "ok", type + (admin ? " admin" : ""));
    }

    void createGroup(String name) throws DkmException {
        auth.requireAdmin("group.create", name);
        checkName(RecordType.IDENTITY_NAME, "group", name);
        RootKey root = auth.currentRoot();
        GroupRecord g = new GroupRecord();
        g.name = name;
        g.createdAt = clock.millis();
        GroupRecord.KeyVersion v = new GroupRecord.KeyVersion();
        v.version = 1;
        v.state = VersionState.PRIMARY;
        v.createdAt = g.createdAt;
        g.versions.add(v);
        Keyset ks = new Keyset();
        ks.keys.put(1, Aead.newKey());
        Envelope.wrapKeyset(g, root, ks);
        if (!records.insert(RecordType.GROUP, name, g)) {
            throw auth.fail(
                    "group.create",
                    name,
                    new DkmInvalidRequestException("group '" + name + "' exists already"));
        }
        audit.record("group.create", name, 1, "ok", null);
    }

    void addMember(String group, String identity) throws DkmException {
        auth.requireAdmin("group.add", group);
        IdentityRecord member = records.get(RecordType.IDENTITY, identity);
        if (member.type != IdentityType.SERVICE) {
            throw auth.fail(
                    "group.add",
                    group,
                    new DkmAccessDeniedException(
                            "'"
                                    + identity
                                    + "' is a person; people get no standing access (use an elevated-access request)"));
        }
        PublicKey pub = Envelope.publicKeyOf(member);
        records.update(
                RecordType.GROUP,
                group,
                g -> {
                    g.memberSealed.put(
                            identity, Envelope.sealToMember(g, identity, pub, keys.viaRoot(g)));
                    return null;
                });
        audit.record("group.add", group, 0, "ok", "member " + identity);
    }

    /** Removes the member's sealed copy; the caller then rolls the keyset over. */
    void removeMember(String group, String identity) throws DkmException {
        auth.requireAdmin("group.remove", group);
        records.update(
                RecordType.GROUP,
                group,
                g -> {
                    if (g.memberSealed.remove(identity) == null) {
                        throw auth.fail(
                                "group.remove",
                                group,
                                new DkmInvalidRequestException(
                                        "'" + identity + "' is not a member of " + group));
                    }
                    return null;
                });
        audit.record("group.remove", group, 0, "ok", "member " + identity);
    }

    List<String> members(String group) throws DkmException {
        return new ArrayList<>(records.get(RecordType.GROUP, group).memberSealed.keySet());
    }

    static IdentityRecord newIdentity(
            String name,
            IdentityType type,
            boolean admin,
            PublicKey pub,
            byte[] auditKey,
            RootKey root,
            Clock clock)
            throws DkmException {
        IdentityRecord id = new IdentityRecord();
        id.name = name;
        id.type = type;
        id.admin = admin;
        id.publicKey = pub.getEncoded();
        id.auditKeySealed = Envelope.sealAuditKey(pub, name, auditKey);
        Envelope.wrapIdentityAuditKey(id, root, auditKey);
        id.createdAt = clock.millis();
        return id;
    }

    static void checkName(Pattern p, String what, String name) throws DkmInvalidRequestException {
        if (name == null || !p.matcher(name).matches()) {
            throw new DkmInvalidRequestException(
                    what + ": name must match " + p + ", got '" + name + "'");
        }
    }
}

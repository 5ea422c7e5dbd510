package dev.mailsec.dkm;

import dev.mailsec.dkm.internal.Aead;
import dev.mailsec.dkm.internal.Codec;
import dev.mailsec.dkm.internal.GrantRecord;
import dev.mailsec.dkm.internal.GroupRecord;
import dev.mailsec.dkm.internal.IdentityRecord;
import dev.mailsec.dkm.internal.Keyset;
import dev.mailsec.dkm.internal.MetaRecord;
import dev.mailsec.dkm.internal.Sealing;
import dev.mailsec.dkm.internal.SecretRecord;
import dev.mailsec.dkm.internal.SecretVersionRecord;
import dev.mailsec.dkm.root.RootKey;
import dev.mailsec.dkm.root.RootKeys;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;

/**
 * Sealing and associated data: every ciphertext of the store is made and opened here, with the
 * associated data that binds it to secret name, version, group, keyset version, identity or root
 * key id, so nothing can be moved elsewhere in the store. Stateless.
 */
final class Envelope {
    /** The audit-log writer name of records made with the root key. */
    static final String ROOT_WRITER = "root";

    private Envelope() {}

    // data keys and values

    static byte[] dekAad(SecretRecord s, SecretVersionRecord v) {
        return Codec.aad("data-key", s.name, v.version, s.group, v.groupKeyVersion);
    }

    private static final ThreadLocal<MessageDigest> SHA256 =
            ThreadLocal.withInitial(
                    () -> {
                        try {
                            return MessageDigest.getInstance("SHA-256");
                        } catch (GeneralSecurityException e) {
                            throw new IllegalStateException(e);
                        }
                    });

    static byte[] valueAad(SecretRecord s, SecretVersionRecord v) {
        MessageDigest md = SHA256.get();
        md.reset();
        if (v.publicKey != null) {
            md.update(v.publicKey);
        }
        for (byte[] c : v.certificates) {
            md.update(Codec.utf8(Integer.toString(c.length)));
            md.update(c);
        }
        return Codec.aad(
                "secret-value",
                s.name,
                v.version,
                s.group,
                s.kind,
                v.algorithm,
                Codec.hex(md.digest()));
    }

    /**
     * Seals a value under a fresh data key, and the data key under {@code groupKey} (v's keyset
     * version).
     */
    static void seal(SecretRecord s, SecretVersionRecord v, byte[] plaintext, byte[] groupKey) {
        byte[] dek = Aead.newKey();
        v.ciphertext = Aead.seal(dek, plaintext, valueAad(s, v));
        v.wrappedDataKey = Aead.seal(groupKey, dek, dekAad(s, v));
        Aead.wipe(dek);
    }

    static byte[] unwrapDataKey(SecretRecord s, SecretVersionRecord v, byte[] groupKey)
            throws DkmIntegrityException {
        if (groupKey == null) {
            throw new DkmIntegrityException(
                    s.name
                            + " v"
                            + v.version
                            + " refers to keyset version "
                            + v.groupKeyVersion
                            + " that group "
                            + s.group
                            + " does not have");
        }
        try {
            return Aead.open(groupKey, v.wrappedDataKey, dekAad(s, v));
        } catch (Aead.TamperedException e) {
            throw new DkmIntegrityException(
                    "data key of " + s.name + " v" + v.version + " fails authentication");
        }
    }

    /** Moves a version's data key under keyset version {@code target}. */
    static void rewrapDataKey(
            SecretRecord s, SecretVersionRecord v, byte[] from, int target, byte[] to)
            throws DkmIntegrityException {
        byte[] dek = unwrapDataKey(s, v, from);
        v.groupKeyVersion = target;
        v.wrappedDataKey = Aead.seal(to, dek, dekAad(s, v));
        Aead.wipe(dek);
    }

    static byte[] openValue(SecretRecord s, SecretVersionRecord v, byte[] dek)
            throws DkmIntegrityException {
        try {
            return Aead.open(dek, v.ciphertext, valueAad(s, v));
        } catch (Aead.TamperedException e) {
            throw new DkmIntegrityException(
                    "value of " + s.name + " v" + v.version + " fails authentication");
        }
    }

    // group keysets

    static byte[] keysetAad(String group, String rootId) {
        return Codec.aad("group-keyset", group, rootId);
    }

    static byte[] memberAad(String group, String identity) {
        return Codec.aad("member-keyset", group, identity);
    }

    static void wrapKeyset(GroupRecord g, RootKey root, Keyset ks) throws DkmException {
        g.rootKeyId = root.id();
        g.keysetRootWrapped = root.wrap(ks.encode(), keysetAad(g.name, root.id()));
    }

    static Keyset unwrapKeyset(RootKeys rootKeys, GroupRecord g) throws DkmException {
        byte[] plain =
                rootKeys.get(g.rootKeyId)
                        .unwrap(g.keysetRootWrapped, keysetAad(g.name, g.rootKeyId));
        try {
            return Keyset.decode(plain);
        } catch (Codec.MalformedException e) {
            throw new DkmIntegrityException("keyset of group " + g.name + " is malformed");
        }
    }

    static byte[] sealToMember(GroupRecord g, String identity, PublicKey pub, Keyset ks) {
        return Sealing.seal(pub, ks.encode(), memberAad(g.name, identity));
    }

    /** Opens the keyset copy sealed to {@code credential}; null when it does not open. */
    static Keyset openMemberKeyset(
            Credential credential, String group, String identity, byte[] sealed) {
        try {
            return Keyset.decode(
                    Sealing.open(
                            credential.privateKey(),
                            credential.publicKey(),
                            sealed,
                            memberAad(group, identity)));
        } catch (Aead.TamperedException | Codec.MalformedException e) {
            return null;
        }
    }

    // audit keys

    /**
     * An identity's audit key sealed to its own key (opened with its credential at session open).
     */
    static byte[] sealAuditKey(PublicKey pub, String identity, byte[] key) {
        return Sealing.seal(pub, key, Codec.aad("audit-key", identity));
    }

    static byte[] openAuditKey(Credential credential, String identity, byte[] sealed)
            throws Aead.TamperedException {
        return Sealing.open(
                credential.privateKey(),
                credential.publicKey(),
                sealed,
                Codec.aad("audit-key", identity));
    }

    private static byte[] wrappedAuditKeyAad(String writer, String rootId) {
        return Codec.aad("audit-key", writer, rootId);
    }

    static byte[] rootAuditKey(RootKeys rootKeys, MetaRecord m) throws DkmException {
        return rootKeys.get(m.rootKeyId)
                .unwrap(m.rootAuditKeyWrapped, wrappedAuditKeyAad(ROOT_WRITER, m.rootKeyId));
    }

    static void wrapRootAuditKey(MetaRecord m, RootKey root, byte[] key) throws DkmException {
        m.rootKeyId = root.id();
        m.rootAuditKeyWrapped = root.wrap(key, wrappedAuditKeyAad(ROOT_WRITER, root.id()));
    }

    static byte[] identityAuditKey(RootKeys rootKeys, IdentityRecord id) throws DkmException {
        return rootKeys.get(id.rootKeyId)
                .unwrap(id.auditKeyRootWrapped, wrappedAuditKeyAad(id.name, id.rootKeyId));
    }

    static void wrapIdentityAuditKey(IdentityRecord id, RootKey root, byte[] key)
            throws DkmException {
        id.rootKeyId = root.id();
        id.auditKeyRootWrapped = root.wrap(key, wrappedAuditKeyAad(id.name, root.id()));
    }

    // grants and exports

    private static byte[] grantAad(GrantRecord g) {
        return Codec.aad("grant", g.id, g.requester, g.secret);
    }

    /** The data keys of a grant (version to key), sealed to the requester. */
    static byte[] sealGrant(GrantRecord g, PublicKey requester, Keyset dataKeys) {
        return Sealing.seal(requester, dataKeys.encode(), grantAad(g));
    }

    static Keyset openGrant(Credential credential, GrantRecord g)
            throws Aead.TamperedException, Codec.MalformedException {
        return Keyset.decode(
                Sealing.open(
                        credential.privateKey(),
                        credential.publicKey(),
                        g.sealedDataKeys,
                        grantAad(g)));
    }

    private static byte[] exportAad(String name, int version, String recipient) {
        return Codec.aad("export", name, version, recipient);
    }

    static byte[] sealExport(
            PublicKey recipientKey, byte[] plain, String name, int version, String recipient) {
        return Sealing.seal(recipientKey, plain, exportAad(name, version, recipient));
    }

    static byte[] openExport(
            Credential credential, byte[] sealed, String name, int version, String recipient)
            throws Aead.TamperedException {
        return Sealing.open(
                credential.privateKey(),
                credential.publicKey(),
                sealed,
                exportAad(name, version, recipient));
    }

    static PublicKey publicKeyOf(IdentityRecord id) throws DkmIntegrityException {
        try {
            return Sealing.publicKey(id.publicKey);
        } catch (GeneralSecurityException e) {
            throw new DkmIntegrityException(
                    "public key of identity '" + id.name + "' is malformed");
        }
    }
}

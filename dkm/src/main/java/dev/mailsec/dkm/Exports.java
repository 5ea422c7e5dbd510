package dev.mailsec.dkm;

import dev.mailsec.dkm.internal.Aead;
import dev.mailsec.dkm.internal.Codec;
import dev.mailsec.dkm.internal.GroupRecord;
import dev.mailsec.dkm.internal.IdentityRecord;
import dev.mailsec.dkm.internal.Keyset;
import dev.mailsec.dkm.internal.SecretRecord;
import dev.mailsec.dkm.internal.SecretVersionRecord;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Exports: one secret version sealed to a member service's key (for backup, or to hand a key to
 * another system), in the {@code mailsec-dkm-export-1} format, and opening such an export as its
 * recipient.
 */
final class Exports {
    private static final String FORMAT = "mailsec-dkm-export-1";

    private final RecordRepository records;
    private final Authorisation auth;
    private final GroupKeys keys;
    private final AuditLog audit;
    private final Clock clock;

    Exports(
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

    byte[] export(String name, int version, String recipient) throws DkmException {
        auth.requireAdmin("export", name);
        SecretRecord s = records.get(RecordType.SECRET, name);
        SecretVersionRecord v = s.version(version);
        if (v == null || v.state == VersionState.DESTROYED) {
            throw auth.fail(
                    "export",
                    name,
                    new DkmNotFoundException(name + " v" + version + " does not exist"));
        }
        GroupRecord g = records.get(RecordType.GROUP, s.group);
        if (!g.memberSealed.containsKey(recipient)) {
            throw auth.fail(
                    "export",
                    name,
                    new DkmAccessDeniedException(
                            "recipient '" + recipient + "' is not a member of group " + s.group));
        }
        Keyset ks = keys.viaRoot(g);
        byte[] dek = Envelope.unwrapDataKey(s, v, ks.keys.get(v.groupKeyVersion));
        byte[] plain = Envelope.openValue(s, v, dek);
        IdentityRecord to = records.get(RecordType.IDENTITY, recipient);
        byte[] sealed =
                Envelope.sealExport(Envelope.publicKeyOf(to), plain, name, version, recipient);
        Aead.wipe(plain);
        Codec.Writer w =
                new Codec.Writer()
                        .str(FORMAT)
                        .str(name)
                        .i32(version)
                        .str(s.kind.name())
                        .str(v.algorithm)
                        .bytes(v.publicKey)
                        .i32(v.certificates.size());
        for (byte[] c : v.certificates) {
            w.bytes(c);
        }
        audit.record("export", name, version, "ok", "sealed to " + recipient);
        return w.str(recipient).bytes(sealed).toByteArray();
    }

    SecretVersion open(byte[] export) throws DkmException {
        try {
            Codec.Reader r = new Codec.Reader(export);
            if (!FORMAT.equals(r.str())) {
                throw new DkmInvalidRequestException("not a DKM export");
            }
            String name = r.str();
            int version = r.i32();
            SecretKind kind = SecretKind.valueOf(r.str());
            String algorithm = r.str();
            byte[] pub = r.bytes();
            List<byte[]> certs = new ArrayList<>();
            int n = r.i32();
            for (int i = 0; i < n; i++) {
                certs.add(r.bytes());
            }
            String recipient = r.str();
            if (!auth.name().equals(recipient)) {
                throw auth.fail(
                        "export.open",
                        name,
                        new DkmAccessDeniedException("export is sealed to '" + recipient + "'"));
            }
            byte[] plain =
                    Envelope.openExport(auth.credential, r.bytes(), name, version, recipient);
            audit.record("export.open", name, version, "ok", null);
            return new SecretVersion(
                    name,
                    kind,
                    version,
                    VersionState.ARCHIVED,
                    clock.instant(),
                    plain,
                    algorithm,
                    pub,
                    certs);
        } catch (Codec.MalformedException | IllegalArgumentException e) {
            throw new DkmInvalidRequestException("malformed DKM export");
        } catch (Aead.TamperedException e) {
            throw new DkmIntegrityException("export does not open: " + e.getMessage(), e);
        }
    }
}

package dev.mailsec.dkm.internal;

import dev.mailsec.dkm.SecretKind;
import dev.mailsec.dkm.VersionState;
import java.util.ArrayList;
import java.util.List;

/** A secret and all its versions. */
public final class SecretRecord {
    public String name;
    public SecretKind kind;
    public String group;
    public long createdAt;
    public List<SecretVersionRecord> versions = new ArrayList<>();

    public SecretVersionRecord version(int n) {
        for (SecretVersionRecord v : versions) {
            if (v.version == n) {
                return v;
            }
        }
        return null;
    }

    public SecretVersionRecord primary() {
        for (SecretVersionRecord v : versions) {
            if (v.state == VersionState.PRIMARY) {
                return v;
            }
        }
        throw new IllegalStateException("secret " + name + " has no primary version");
    }

    public int nextVersion() {
        int max = 0;
        for (SecretVersionRecord v : versions) {
            max = Math.max(max, v.version);
        }
        return max + 1;
    }

    public byte[] encode() {
        Codec.Writer w =
                new Codec.Writer()
                        .i32(Records.FORMAT)
                        .str(name)
                        .str(kind.name())
                        .str(group)
                        .i64(createdAt)
                        .i32(versions.size());
        for (SecretVersionRecord v : versions) {
            w.i32(v.version)
                    .str(v.state.name())
                    .i64(v.createdAt)
                    .i32(v.groupKeyVersion)
                    .bytes(v.wrappedDataKey)
                    .bytes(v.ciphertext)
                    .str(v.algorithm)
                    .bytes(v.publicKey)
                    .i32(v.certificates.size());
            for (byte[] c : v.certificates) {
                w.bytes(c);
            }
        }
        return w.toByteArray();
    }

    public static SecretRecord decode(byte[] b) throws Codec.MalformedException {
        Codec.Reader r = new Codec.Reader(b);
        Records.header(r);
        SecretRecord s = new SecretRecord();
        s.name = r.str();
        s.kind = Records.enumOf(SecretKind.class, r.str());
        s.group = r.str();
        s.createdAt = r.i64();
        int n = r.i32();
        for (int i = 0; i < n; i++) {
            SecretVersionRecord v = new SecretVersionRecord();
            v.version = r.i32();
            v.state = Records.enumOf(VersionState.class, r.str());
            v.createdAt = r.i64();
            v.groupKeyVersion = r.i32();
            v.wrappedDataKey = r.bytes();
            v.ciphertext = r.bytes();
            v.algorithm = r.str();
            v.publicKey = r.bytes();
            int c = r.i32();
            for (int j = 0; j < c; j++) {
                v.certificates.add(r.bytes());
            }
            s.versions.add(v);
        }
        return s;
    }
}

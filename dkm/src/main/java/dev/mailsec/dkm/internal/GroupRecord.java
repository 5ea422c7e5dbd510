package dev.mailsec.dkm.internal;

import dev.mailsec.dkm.VersionState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A group: its keyset (wrapped by the root and sealed to each member) and its members. */
public final class GroupRecord {
    /** State of one version of a group keyset (the key itself is inside the wrapped blobs). */
    public static final class KeyVersion {
        public int version;
        public VersionState state;
        public long createdAt;
    }

    public String name;
    public long createdAt;
    public List<KeyVersion> versions = new ArrayList<>();
    public String rootKeyId;
    public byte[] keysetRootWrapped;
    public Map<String, byte[]> memberSealed = new TreeMap<>();

    public int primary() {
        for (KeyVersion v : versions) {
            if (v.state == VersionState.PRIMARY) {
                return v.version;
            }
        }
        throw new IllegalStateException("group " + name + " has no primary keyset version");
    }

    public KeyVersion version(int n) {
        for (KeyVersion v : versions) {
            if (v.version == n) {
                return v;
            }
        }
        return null;
    }

    public byte[] encode() {
        Codec.Writer w =
                new Codec.Writer()
                        .i32(Records.FORMAT)
                        .str(name)
                        .i64(createdAt)
                        .i32(versions.size());
        for (KeyVersion v : versions) {
            w.i32(v.version).str(v.state.name()).i64(v.createdAt);
        }
        w.str(rootKeyId).bytes(keysetRootWrapped).i32(memberSealed.size());
        for (Map.Entry<String, byte[]> e : memberSealed.entrySet()) {
            w.str(e.getKey()).bytes(e.getValue());
        }
        return w.toByteArray();
    }

    public static GroupRecord decode(byte[] b) throws Codec.MalformedException {
        Codec.Reader r = new Codec.Reader(b);
        Records.header(r);
        GroupRecord g = new GroupRecord();
        g.name = r.str();
        g.createdAt = r.i64();
        int n = r.i32();
        for (int i = 0; i < n; i++) {
            KeyVersion v = new KeyVersion();
            v.version = r.i32();
            v.state = Records.enumOf(VersionState.class, r.str());
            v.createdAt = r.i64();
            g.versions.add(v);
        }
        g.rootKeyId = r.str();
        g.keysetRootWrapped = r.bytes();
        int m = r.i32();
        for (int i = 0; i < m; i++) {
            g.memberSealed.put(Records.name(r, "member"), r.bytes());
        }
        return g;
    }
}

package dev.mailsec.dkm.internal;

import dev.mailsec.dkm.IdentityType;
import dev.mailsec.dkm.SecretKind;
import dev.mailsec.dkm.VersionState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The store's records and their binary encoding. Encrypted fields are opaque here; the key
 * manager's {@code Envelope} is the single place that creates and opens them. A version number
 * field leads every record so the format can evolve.
 */
public final class Records {
    private static final int FORMAT = 1;

    private Records() {}

    public static final String META = "meta";

    public static String identityKey(String name) {
        return "identity/" + name;
    }

    public static String groupKey(String name) {
        return "group/" + name;
    }

    public static String secretKey(String name) {
        return "secret/" + name;
    }

    public static String grantKey(String id) {
        return "grant/" + id;
    }

    private static void header(Codec.Reader r) throws Codec.MalformedException {
        int f = r.i32();
        if (f != FORMAT) {
            throw new Codec.MalformedException("unknown record format " + f);
        }
    }

    /** Store-wide settings: current root key, the root's audit key, policies. */
    public static final class Meta {
        public String rootKeyId;
        public byte[] rootAuditKeyWrapped;
        public int approvalsRequired;
        public long maxGrantSeconds;
        public long groupKeysetDays;
        public long keyPairDays;
        public long symmetricDays;
        public long opaqueDays;
        public long keyPairPromoteDelayHours;
        public long createdAt;

        public byte[] encode() {
            return new Codec.Writer()
                    .i32(FORMAT)
                    .str(rootKeyId)
                    .bytes(rootAuditKeyWrapped)
                    .i32(approvalsRequired)
                    .i64(maxGrantSeconds)
                    .i64(groupKeysetDays)
                    .i64(keyPairDays)
                    .i64(symmetricDays)
                    .i64(opaqueDays)
                    .i64(keyPairPromoteDelayHours)
                    .i64(createdAt)
                    .toByteArray();
        }

        public static Meta decode(byte[] b) throws Codec.MalformedException {
            Codec.Reader r = new Codec.Reader(b);
            header(r);
            Meta m = new Meta();
            m.rootKeyId = r.str();
            m.rootAuditKeyWrapped = r.bytes();
            m.approvalsRequired = r.i32();
            m.maxGrantSeconds = r.i64();
            m.groupKeysetDays = r.i64();
            m.keyPairDays = r.i64();
            m.symmetricDays = r.i64();
            m.opaqueDays = r.i64();
            m.keyPairPromoteDelayHours = r.i64();
            m.createdAt = r.i64();
            return m;
        }
    }

    /**
     * An identity: its public key, role and audit key (sealed to itself and wrapped by the root).
     */
    public static final class Identity {
        public String name;
        public IdentityType type;
        public boolean admin;
        public boolean disabled;
        public byte[] publicKey;
        public byte[] auditKeySealed;
        public String rootKeyId;
        public byte[] auditKeyRootWrapped;
        public long createdAt;

        public byte[] encode() {
            return new Codec.Writer()
                    .i32(FORMAT)
                    .str(name)
                    .str(type.name())
                    .bool(admin)
                    .bool(disabled)
                    .bytes(publicKey)
                    .bytes(auditKeySealed)
                    .str(rootKeyId)
                    .bytes(auditKeyRootWrapped)
                    .i64(createdAt)
                    .toByteArray();
        }

        public static Identity decode(byte[] b) throws Codec.MalformedException {
            Codec.Reader r = new Codec.Reader(b);
            header(r);
            Identity i = new Identity();
            i.name = r.str();
            i.type = enumOf(IdentityType.class, r.str());
            i.admin = r.bool();
            i.disabled = r.bool();
            i.publicKey = r.bytes();
            i.auditKeySealed = r.bytes();
            i.rootKeyId = r.str();
            i.auditKeyRootWrapped = r.bytes();
            i.createdAt = r.i64();
            return i;
        }
    }

    /** State of one version of a group keyset (the key itself is inside the wrapped blobs). */
    public static final class KeyVersion {
        public int version;
        public VersionState state;
        public long createdAt;
    }

    /** A group: its keyset (wrapped by the root and sealed to each member) and its members. */
    public static final class Group {
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
                    new Codec.Writer().i32(FORMAT).str(name).i64(createdAt).i32(versions.size());
            for (KeyVersion v : versions) {
                w.i32(v.version).str(v.state.name()).i64(v.createdAt);
            }
            w.str(rootKeyId).bytes(keysetRootWrapped).i32(memberSealed.size());
            for (Map.Entry<String, byte[]> e : memberSealed.entrySet()) {
                w.str(e.getKey()).bytes(e.getValue());
            }
            return w.toByteArray();
        }

        public static Group decode(byte[] b) throws Codec.MalformedException {
            Codec.Reader r = new Codec.Reader(b);
            header(r);
            Group g = new Group();
            g.name = r.str();
            g.createdAt = r.i64();
            int n = r.i32();
            for (int i = 0; i < n; i++) {
                KeyVersion v = new KeyVersion();
                v.version = r.i32();
                v.state = enumOf(VersionState.class, r.str());
                v.createdAt = r.i64();
                g.versions.add(v);
            }
            g.rootKeyId = r.str();
            g.keysetRootWrapped = r.bytes();
            int m = r.i32();
            for (int i = 0; i < m; i++) {
                g.memberSealed.put(name(r, "member"), r.bytes());
            }
            return g;
        }
    }

    /** The plaintext of a group keyset: version number to 256-bit key. */
    public static final class Keyset {
        public final Map<Integer, byte[]> keys = new TreeMap<>();

        public byte[] encode() {
            Codec.Writer w = new Codec.Writer().i32(keys.size());
            for (Map.Entry<Integer, byte[]> e : keys.entrySet()) {
                w.i32(e.getKey()).bytes(e.getValue());
            }
            return w.toByteArray();
        }

        public static Keyset decode(byte[] b) throws Codec.MalformedException {
            Codec.Reader r = new Codec.Reader(b);
            Keyset k = new Keyset();
            int n = r.i32();
            for (int i = 0; i < n; i++) {
                k.keys.put(r.i32(), r.bytes());
            }
            return k;
        }
    }

    /**
     * One version of a secret: data key wrapped by a group keyset version, value under the data
     * key.
     */
    public static final class SecretVersionRecord {
        public int version;
        public VersionState state;
        public long createdAt;
        public int groupKeyVersion;
        public byte[] wrappedDataKey;
        public byte[] ciphertext;
        public String algorithm;
        public byte[] publicKey;
        public List<byte[]> certificates = new ArrayList<>();
    }

    /** A secret and all its versions. */
    public static final class Secret {
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
                            .i32(FORMAT)
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

        public static Secret decode(byte[] b) throws Codec.MalformedException {
            Codec.Reader r = new Codec.Reader(b);
            header(r);
            Secret s = new Secret();
            s.name = r.str();
            s.kind = enumOf(SecretKind.class, r.str());
            s.group = r.str();
            s.createdAt = r.i64();
            int n = r.i32();
            for (int i = 0; i < n; i++) {
                SecretVersionRecord v = new SecretVersionRecord();
                v.version = r.i32();
                v.state = enumOf(VersionState.class, r.str());
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

    /**
     * An elevated-access request and, once approved, the grant (data keys sealed to the requester).
     */
    public static final class Grant {
        public String id;
        public String requester;
        public String secret;
        public String reason;
        public long durationSeconds;
        public long requestedAt;
        public String state;
        public Map<String, Long> approvals = new TreeMap<>();
        public String decidedBy;
        public String decisionReason;
        public long expiresAt;
        public byte[] sealedDataKeys;

        public byte[] encode() {
            Codec.Writer w =
                    new Codec.Writer()
                            .i32(FORMAT)
                            .str(id)
                            .str(requester)
                            .str(secret)
                            .str(reason)
                            .i64(durationSeconds)
                            .i64(requestedAt)
                            .str(state)
                            .i32(approvals.size());
            for (Map.Entry<String, Long> e : approvals.entrySet()) {
                w.str(e.getKey()).i64(e.getValue());
            }
            return w.str(decidedBy)
                    .str(decisionReason)
                    .i64(expiresAt)
                    .bytes(sealedDataKeys)
                    .toByteArray();
        }

        public static Grant decode(byte[] b) throws Codec.MalformedException {
            Codec.Reader r = new Codec.Reader(b);
            header(r);
            Grant g = new Grant();
            g.id = r.str();
            g.requester = r.str();
            g.secret = r.str();
            g.reason = r.str();
            g.durationSeconds = r.i64();
            g.requestedAt = r.i64();
            g.state = r.str();
            int n = r.i32();
            for (int i = 0; i < n; i++) {
                g.approvals.put(name(r, "approval"), r.i64());
            }
            g.decidedBy = r.str();
            g.decisionReason = r.str();
            g.expiresAt = r.i64();
            g.sealedDataKeys = r.bytes();
            return g;
        }
    }

    /**
     * A map key: a null (length -1) one would make TreeMap throw NullPointerException, not a
     * malformed record.
     */
    private static String name(Codec.Reader r, String what) throws Codec.MalformedException {
        String n = r.str();
        if (n == null) {
            throw new Codec.MalformedException(what + " without a name");
        }
        return n;
    }

    private static <E extends Enum<E>> E enumOf(Class<E> type, String name)
            throws Codec.MalformedException {
        try {
            return Enum.valueOf(type, name);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new Codec.MalformedException(
                    "unknown " + type.getSimpleName() + " '" + name + "'");
        }
    }
}

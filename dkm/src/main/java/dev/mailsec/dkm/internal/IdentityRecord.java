package dev.mailsec.dkm.internal;

import dev.mailsec.dkm.IdentityType;

/** An identity: its public key, role and audit key (sealed to itself and wrapped by the root). */
public final class IdentityRecord {
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
                .i32(Records.FORMAT)
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

    public static IdentityRecord decode(byte[] b) throws Codec.MalformedException {
        Codec.Reader r = new Codec.Reader(b);
        Records.header(r);
        IdentityRecord i = new IdentityRecord();
        i.name = r.str();
        i.type = Records.enumOf(IdentityType.class, r.str());
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

package dev.mailsec.dkm.internal;

/** Store-wide settings: current root key, the root's audit key, policies. */
public final class MetaRecord {
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
                .i32(Records.FORMAT)
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

    public static MetaRecord decode(byte[] b) throws Codec.MalformedException {
        Codec.Reader r = new Codec.Reader(b);
        Records.header(r);
        MetaRecord m = new MetaRecord();
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

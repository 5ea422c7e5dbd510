package dev.mailsec.dkm.internal;

import java.util.Map;
import java.util.TreeMap;

/** An elevated-access request and, once approved, the grant (data keys sealed to the requester). */
public final class GrantRecord {
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
                        .i32(Records.FORMAT)
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

    public static GrantRecord decode(byte[] b) throws Codec.MalformedException {
        Codec.Reader r = new Codec.Reader(b);
        Records.header(r);
        GrantRecord g = new GrantRecord();
        g.id = r.str();
        g.requester = r.str();
        g.secret = r.str();
        g.reason = r.str();
        g.durationSeconds = r.i64();
        g.requestedAt = r.i64();
        g.state = r.str();
        int n = r.i32();
        for (int i = 0; i < n; i++) {
            g.approvals.put(Records.name(r, "approval"), r.i64());
        }
        g.decidedBy = r.str();
        g.decisionReason = r.str();
        g.expiresAt = r.i64();
        g.sealedDataKeys = r.bytes();
        return g;
    }
}

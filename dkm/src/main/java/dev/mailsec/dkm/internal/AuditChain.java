package dev.mailsec.dkm.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The audit log's line format and chain. A line is tab-separated, percent-escaped fields: {@code
 * seq time actor action secret version outcome reason writer prev mac}. {@code prev} is the SHA-256
 * of the previous line's body (everything before its MAC), so removing, reordering or changing a
 * line breaks the chain; {@code mac} is HMAC-SHA256 of this line's body under the audit key of
 * {@code writer} (an identity or {@code root}), so the chain cannot be recomputed without keys.
 */
public final class AuditChain {
    public static final String GENESIS = repeat('0', 64);
    public static final int FIELDS = 11;

    private AuditChain() {}

    /** One audit event before it is chained. Never holds a secret value. */
    public static final class Event {
        public final String actor;
        public final String action;
        public final String secret;
        public final int version;
        public final String outcome;
        public final String reason;

        public Event(
                String actor,
                String action,
                String secret,
                int version,
                String outcome,
                String reason) {
            this.actor = actor;
            this.action = action;
            this.secret = secret;
            this.version = version;
            this.outcome = outcome;
            this.reason = reason;
        }
    }

    public static String next(String lastLine, Event e, Instant time, String writer, byte[] key) {
        long seq = 1;
        String prev = GENESIS;
        if (lastLine != null) {
            String[] f = lastLine.split("\t", -1);
            try {
                seq = Long.parseLong(f[0]) + 1;
            } catch (NumberFormatException notANumber) {
                throw new MalformedLogException();
            }
            prev = Codec.hex(sha256(body(lastLine)));
        }
        String body =
                String.join(
                        "\t",
                        Long.toString(seq),
                        time.toString(),
                        esc(e.actor),
                        esc(e.action),
                        esc(e.secret),
                        e.version == 0 ? "-" : Integer.toString(e.version),
                        esc(e.outcome),
                        esc(e.reason),
                        esc(writer),
                        prev);
        return body + "\t" + Codec.hex(hmac(key, body));
    }

    /** The log's last line is not a record of ours: the log was tampered with or damaged. */
    public static final class MalformedLogException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public MalformedLogException() {
            super("the audit log's last record is malformed (run audit verify)");
        }
    }

    /** How {@link #verify} starts the problem it reports for a line that is no record at all. */
    public static final String FOREIGN = "not an audit record";

    /**
     * Verifies lines in order; returns null when intact, else {position, problem}. A line that is
     * no record at all (wrong number of fields, no sequence number: garbage appended or inserted, a
     * damaged block) is skipped, as the key manager chains its next record to the last real one;
     * the first such line is reported (problem starting with {@link #FOREIGN}) when the records
     * themselves chain intact.
     */
    public static Object[] verify(List<String> lines, Map<String, byte[]> writerKeys) {
        String prev = GENESIS;
        long pos = 0;
        Object[] foreign = null;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            String[] f = line.split("\t", -1);
            long seq = seq(line);
            if (seq < 1) {
                if (foreign == null) {
                    foreign =
                            new Object[] {
                                pos + 1,
                                FOREIGN
                                        + ": line "
                                        + (i + 1)
                                        + " of the log ("
                                        + f.length
                                        + " fields) was appended or inserted outside DKM, or damaged; the records around it"
                                        + " chain intact"
                            };
                }
                continue;
            }
            pos++;
            if (seq != pos) {
                return new Object[] {
                    pos,
                    "sequence number "
                            + seq
                            + " where "
                            + pos
                            + " was expected (record removed, inserted or reordered)"
                };
            }
            if (!f[9].equals(prev)) {
                return new Object[] {
                    pos,
                    "does not chain to the previous record (previous record changed,"
                            + " removed or reordered)"
                };
            }
            byte[] key = writerKeys.get(unesc(f[8]));
            if (key == null) {
                return new Object[] {pos, "unknown writer '" + unesc(f[8]) + "'"};
            }
            String body = body(line);
            if (!MessageDigest.isEqual(
                    Codec.hex(hmac(key, body)).getBytes(StandardCharsets.US_ASCII),
                    f[10].getBytes(StandardCharsets.US_ASCII))) {
                return new Object[] {pos, "MAC mismatch (record changed)"};
            }
            prev = Codec.hex(sha256(body));
        }
        return foreign;
    }

    /** The sequence number of a record, or -1 when the line is not a well-formed record. */
    public static long seq(String line) {
        String[] f = line.split("\t", -1);
        if (f.length != FIELDS) {
            return -1;
        }
        try {
            return Long.parseLong(f[0]);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * The writer (identity or root) that MACed a record; null when the line is not a well-formed
     * record.
     */
    public static String writer(String line) {
        String[] f = line.split("\t", -1);
        return f.length == FIELDS ? unesc(f[8]) : null;
    }

    /**
     * SHA-256 (hex) of a record's body: what the next record's {@code prev} holds; names the
     * record.
     */
    public static String hash(String line) {
        return Codec.hex(sha256(body(line)));
    }

    /**
     * The head checkpoint of a line: {@code seq hash writer mac}, the MAC (HMAC-SHA256 under the
     * writer's audit key) taken over {@code "audit-head"} and the three fields. Domain-separated
     * from record MACs, so a record of the log cannot be passed off as a checkpoint: rolling the
     * log back needs a checkpoint saved when that older record was the last one.
     */
    public static String head(String line, String writer, byte[] key) {
        String body = seq(line) + "\t" + hash(line) + "\t" + esc(writer);
        return body + "\t" + Codec.hex(hmac(key, "audit-head\t" + body));
    }

    /**
     * {seq (Long), hash (String), writer (String)} of an authentic head checkpoint, or null when it
     * is not one.
     */
    public static Object[] openHead(String head, Map<String, byte[]> writerKeys) {
        String[] f = head.split("\t", -1);
        if (f.length != 4) {
            return null;
        }
        long seq;
        try {
            seq = Long.parseLong(f[0]);
        } catch (NumberFormatException e) {
            return null;
        }
        byte[] key = writerKeys.get(unesc(f[2]));
        if (seq < 1 || key == null) {
            return null;
        }
        String body = f[0] + "\t" + f[1] + "\t" + f[2];
        if (!MessageDigest.isEqual(
                Codec.hex(hmac(key, "audit-head\t" + body)).getBytes(StandardCharsets.US_ASCII),
                f[3].getBytes(StandardCharsets.US_ASCII))) {
            return null;
        }
        return new Object[] {seq, f[1], unesc(f[2])};
    }

    /** Human-readable form of a line, for {@code audit tail}. */
    public static String render(String line) {
        String[] f = line.split("\t", -1);
        if (f.length != FIELDS) {
            return line;
        }
        return "#"
                + f[0]
                + " "
                + f[1]
                + " "
                + unesc(f[2])
                + " "
                + unesc(f[3])
                + ("-".equals(f[4]) ? "" : " " + unesc(f[4]))
                + ("-".equals(f[5]) ? "" : " v" + f[5])
                + " "
                + unesc(f[6])
                + ("-".equals(f[7]) ? "" : " reason=\"" + unesc(f[7]) + "\"");
    }

    private static String body(String line) {
        int tab = line.lastIndexOf('\t');
        return tab < 0 ? line : line.substring(0, tab);
    }

    private static String esc(String s) {
        if (s == null || s.isEmpty()) {
            return "-";
        }
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' || c == '\t' || c == '\n' || c == '\r' || (c == '-' && s.length() == 1)) {
                sb.append('%').append(String.format("%02X", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static String unesc(String s) {
        if ("-".equals(s)) {
            return "";
        }
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length()) {
                sb.append((char) Integer.parseInt(s.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
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
    private static final ThreadLocal<Mac> HMAC =
            ThreadLocal.withInitial(
                    () -> {
                        try {
                            return Mac.getInstance("HmacSHA256");
                        } catch (GeneralSecurityException e) {
                            throw new IllegalStateException(e);
                        }
                    });

    private static byte[] sha256(String s) {
        MessageDigest md = SHA256.get();
        md.reset();
        return md.digest(s.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] hmac(byte[] key, String s) {
        try {
            Mac mac = HMAC.get();
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(s.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String repeat(char c, int n) {
        char[] a = new char[n];
        Arrays.fill(a, c);
        return new String(a);
    }
}

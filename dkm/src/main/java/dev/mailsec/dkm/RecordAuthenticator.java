package dev.mailsec.dkm;

import dev.mailsec.dkm.internal.Codec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The MAC trailer every store record carries (issue 13, finding 5): the record's encoding is
 * followed by {@code flavor, key name, key version, write counter, HMAC-SHA256}, the trailer's
 * length and the magic {@code DKMAUTH1}. The MAC covers the storage key, every trailer field and
 * the record's bytes, so a record cannot be changed, moved onto another key, or given another
 * counter without the MAC key. The write counter grows by one per write of that key and is what
 * rollback checks compare (the storage's own revision is not used: a migration to another backend
 * restarts it).
 *
 * <p>Three MAC keys, each derived with HKDF-Expand (RFC 5869 section 2.3, one block) from a key the
 * store alone does not give: {@link Flavor#ROOT} from the root audit key (wrapped by the root key,
 * so only a session holding the root key has it); {@link Flavor#GROUP} from a group keyset version
 * (its members and root holders); {@link Flavor#WRITER} from one identity's audit key (that
 * identity and root holders). Which records must carry which flavor is {@link
 * AuthenticatedStorage}'s business.
 */
final class RecordAuthenticator {
    static final int MAC_BYTES = 32;
    private static final byte[] MAGIC = "DKMAUTH1".getBytes(StandardCharsets.US_ASCII);

    /** A trailer is small: flavor, a name of at most 200 characters, two numbers and the MAC. */
    private static final int MAX_TRAILER = 1024;

    enum Flavor {
        ROOT,
        GROUP,
        WRITER
    }

    /** A record split into its bytes and its trailer. */
    static final class Opened {
        final byte[] body;
        final Flavor flavor;
        final String keyName;
        final int keyVersion;
        final long counter;
        final byte[] mac;

        Opened(
                byte[] body,
                Flavor flavor,
                String keyName,
                int keyVersion,
                long counter,
                byte[] mac) {
            this.body = body;
            this.flavor = flavor;
            this.keyName = keyName;
            this.keyVersion = keyVersion;
            this.counter = counter;
            this.mac = mac;
        }
    }

    /** The trailer does not parse although the magic is there. */
    static final class BadTrailerException extends Exception {
        private static final long serialVersionUID = 1L;

        BadTrailerException(String message) {
            super(message);
        }
    }

    private RecordAuthenticator() {}

    /** HKDF-Expand(ikm, info, 32): the MAC key of one flavor and scope. */
    static byte[] deriveKey(byte[] ikm, String info) {
        return hmac(ikm, Codec.utf8("mailsec-dkm record-mac\0" + info), new byte[] {1});
    }

    static byte[] seal(
            byte[] macKey,
            String storageKey,
            Flavor flavor,
            String keyName,
            int keyVersion,
            long counter,
            byte[] body) {
        byte[] mac = mac(macKey, storageKey, flavor, keyName, keyVersion, counter, body);
        byte[] trailer =
                new Codec.Writer()
                        .i32(flavor.ordinal())
                        .str(keyName)
                        .i32(keyVersion)
                        .i64(counter)
                        .bytes(mac)
                        .toByteArray();
        byte[] out = Arrays.copyOf(body, body.length + trailer.length + 4 + MAGIC.length);
        System.arraycopy(trailer, 0, out, body.length, trailer.length);
        int p = body.length + trailer.length;
        out[p] = (byte) (trailer.length >>> 24);
        out[p + 1] = (byte) (trailer.length >>> 16);
        out[p + 2] = (byte) (trailer.length >>> 8);
        out[p + 3] = (byte) trailer.length;
        System.arraycopy(MAGIC, 0, out, p + 4, MAGIC.length);
        return out;
    }

    /**
     * The record's parts, or null when it carries no trailer (written before records were MACed).
     */
    static Opened open(byte[] stored) throws BadTrailerException {
        int n = stored.length;
        if (n < MAGIC.length + 4
                || !Arrays.equals(Arrays.copyOfRange(stored, n - MAGIC.length, n), MAGIC)) {
            return null;
        }
        int p = n - MAGIC.length - 4;
        int len =
                ((stored[p] & 0xff) << 24)
                        | ((stored[p + 1] & 0xff) << 16)
                        | ((stored[p + 2] & 0xff) << 8)
                        | (stored[p + 3] & 0xff);
        if (len < 0 || len > MAX_TRAILER || len > p) {
            throw new BadTrailerException("MAC trailer length " + len + " is out of range");
        }
        try {
            Codec.Reader r = new Codec.Reader(Arrays.copyOfRange(stored, p - len, p));
            int f = r.i32();
            if (f < 0 || f >= Flavor.values().length) {
                throw new BadTrailerException("unknown MAC flavor " + f);
            }
            String keyName = r.str();
            int keyVersion = r.i32();
            long counter = r.i64();
            byte[] mac = r.bytes();
            if (mac == null || mac.length != MAC_BYTES || r.hasMore() || counter < 1) {
                throw new BadTrailerException("malformed MAC trailer");
            }
            return new Opened(
                    Arrays.copyOf(stored, p - len),
                    Flavor.values()[f],
                    keyName,
                    keyVersion,
                    counter,
                    mac);
        } catch (Codec.MalformedException e) {
            throw new BadTrailerException("malformed MAC trailer: " + e.getMessage());
        }
    }

    static boolean verify(byte[] macKey, String storageKey, Opened o) {
        return MessageDigest.isEqual(
                mac(macKey, storageKey, o.flavor, o.keyName, o.keyVersion, o.counter, o.body),
                o.mac);
    }

    private static byte[] mac(
            byte[] macKey,
            String storageKey,
            Flavor flavor,
            String keyName,
            int keyVersion,
            long counter,
            byte[] body) {
        byte[] header =
                Codec.aad(
                        "dkm-record",
                        storageKey,
                        flavor.name(),
                        keyName == null ? "" : keyName,
                        keyVersion,
                        counter);
        byte[] len = new Codec.Writer().i32(header.length).toByteArray();
        return hmac(macKey, len, header, body);
    }

    private static byte[] hmac(byte[] key, byte[]... parts) {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(new SecretKeySpec(key, "HmacSHA256"));
            for (byte[] p : parts) {
                m.update(p);
            }
            return m.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JDK", e);
        }
    }
}

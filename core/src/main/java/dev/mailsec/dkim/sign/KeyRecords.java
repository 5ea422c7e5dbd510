package dev.mailsec.dkim.sign;

import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/** The DNS TXT record that publishes a DKIM public key (RFC 6376 section 3.6.1, RFC 8463 section 4). */
public final class KeyRecords {
    /** DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410): the raw 32-byte key follows. */
    private static final byte[] ED25519_SPKI_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};

    private KeyRecords() {
    }

    /** The record's text: {@code v=DKIM1; k=rsa; p=<SubjectPublicKeyInfo>} or {@code v=DKIM1; k=ed25519; p=<raw key>}. */
    public static String txt(PublicKey key) {
        SigningAlgorithm a = SigningAlgorithm.ofKeyAlgorithm(key.getAlgorithm());
        if (a == null) {
            throw new IllegalArgumentException("key: " + key.getAlgorithm() + " keys cannot sign DKIM (RSA or Ed25519)");
        }
        byte[] der = key.getEncoded();
        byte[] p = der;
        if (a == SigningAlgorithm.ED25519_SHA256) {
            if (der.length != ED25519_SPKI_PREFIX.length + 32
                    || !Arrays.equals(Arrays.copyOf(der, ED25519_SPKI_PREFIX.length), ED25519_SPKI_PREFIX)) {
                throw new IllegalArgumentException("key: unexpected Ed25519 public key encoding");
            }
            p = Arrays.copyOfRange(der, ED25519_SPKI_PREFIX.length, der.length);
        }
        return "v=DKIM1; k=" + a.keyType() + "; p=" + Base64.getEncoder().encodeToString(p);
    }

    /** The owner name of the record: {@code selector._domainkey.domain}. */
    public static String name(String selector, String domain) {
        return selector + "._domainkey." + domain;
    }

    /**
     * A zone-file line to paste: {@code sel._domainkey.example.com. IN TXT "v=DKIM1; ..." "..."}, the
     * text split into strings of at most 255 characters as DNS requires.
     */
    public static String zoneLine(String selector, String domain, PublicKey key) {
        StringBuilder sb = new StringBuilder(name(selector, domain)).append(". IN TXT");
        for (String part : split(txt(key), 255)) {
            sb.append(" \"").append(part).append('"');
        }
        return sb.toString();
    }

    private static List<String> split(String s, int max) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < s.length(); i += max) {
            out.add(s.substring(i, Math.min(s.length(), i + max)));
        }
        return out;
    }
}

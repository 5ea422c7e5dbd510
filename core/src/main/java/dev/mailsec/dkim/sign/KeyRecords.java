package dev.mailsec.dkim.sign;

import dev.mailsec.dkim.internal.TagList;
import dev.mailsec.dkim.internal.Verdict;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The DNS TXT record that publishes a DKIM public key (RFC 6376 section 3.6.1, RFC 8463 section 4).
 */
public final class KeyRecords {
    /** DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410): the raw 32-byte key follows. */
    private static final byte[] ED25519_SPKI_PREFIX = {
        0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00
    };

    private KeyRecords() {}

    /**
     * The record's text: {@code v=DKIM1; k=rsa; p=<SubjectPublicKeyInfo>} or {@code v=DKIM1;
     * k=ed25519; p=<raw key>}.
     */
    public static String txt(PublicKey key) {
        SigningAlgorithm a = SigningAlgorithm.ofKeyAlgorithm(key.getAlgorithm());
        if (a == null) {
            throw new IllegalArgumentException(
                    "key: " + key.getAlgorithm() + " keys cannot sign DKIM (RSA or Ed25519)");
        }
        byte[] der = key.getEncoded();
        byte[] p = der;
        if (a == SigningAlgorithm.ED25519_SHA256) {
            if (der.length != ED25519_SPKI_PREFIX.length + 32
                    || !Arrays.equals(
                            Arrays.copyOf(der, ED25519_SPKI_PREFIX.length), ED25519_SPKI_PREFIX)) {
                throw new IllegalArgumentException("key: unexpected Ed25519 public key encoding");
            }
            p = Arrays.copyOfRange(der, ED25519_SPKI_PREFIX.length, der.length);
        }
        return "v=DKIM1; k=" + a.keyType() + "; p=" + Base64.getEncoder().encodeToString(p);
    }

    /**
     * True when a published TXT record (its strings joined) publishes {@code key}: a well-formed
     * tag list whose {@code p=} is the key (folding whitespace ignored) and whose {@code k=}
     * (default {@code rsa}) is its type. Whether the record is otherwise usable is the verifier's
     * business; this answers "is this key published".
     */
    public static boolean publishes(String record, PublicKey key) {
        Map<String, String> published;
        try {
            published = TagList.parse(record, "key record");
        } catch (Verdict e) {
            return false;
        }
        Map<String, String> expected;
        try {
            expected = TagList.parse(txt(key), "key record");
        } catch (Verdict e) {
            throw new IllegalStateException("our own key record does not parse", e);
        }
        String p = published.get("p");
        String k = published.getOrDefault("k", "rsa");
        return p != null
                && TagList.stripFws(p).equals(expected.get("p"))
                && TagList.stripFws(k).toLowerCase(Locale.ROOT).equals(expected.get("k"));
    }

    /** The owner name of the record: {@code selector._domainkey.domain}. */
    public static String name(String selector, String domain) {
        return selector + "._domainkey." + domain;
    }

    /**
     * A zone-file line to paste: {@code sel._domainkey.example.com. IN TXT "v=DKIM1; ..." "..."},
     * the text split into strings of at most 255 characters as DNS requires.
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

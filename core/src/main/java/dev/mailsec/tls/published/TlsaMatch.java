package dev.mailsec.tls.published;

import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Whether TLSA records match a presented chain (RFC 6698 section 2.1, RFC 7671): usage 3 (DANE-EE)
 * against the leaf, usage 2 (DANE-TA) against the other certificates shown; selector 0 (whole
 * certificate) or 1 (SubjectPublicKeyInfo); matching type 0 (exact), 1 (SHA-256), 2 (SHA-512).
 * Usages 0 and 1 (PKIX) are not used for SMTP (RFC 7672 section 3.1.3) and never match.
 */
final class TlsaMatch {

    private TlsaMatch() {}

    /** The first record that matches, or empty; a malformed record never matches. */
    static Optional<String> matching(List<String> records, List<X509Certificate> chain) {
        for (String record : records) {
            String[] f = record.trim().split("\\s+", 4);
            if (f.length < 4 || chain.isEmpty()) {
                continue;
            }
            String data = f[3].replaceAll("\\s", "").toLowerCase(Locale.ROOT);
            List<X509Certificate> candidates =
                    f[0].equals("3")
                            ? chain.subList(0, 1)
                            : f[0].equals("2") ? chain.subList(1, chain.size()) : List.of();
            for (X509Certificate certificate : candidates) {
                if (matches(certificate, f[1], f[2], data)) {
                    return Optional.of(f[0] + " " + f[1] + " " + f[2]);
                }
            }
        }
        return Optional.empty();
    }

    private static boolean matches(
            X509Certificate certificate, String selector, String matching, String data) {
        byte[] selected;
        try {
            selected =
                    selector.equals("0")
                            ? certificate.getEncoded()
                            : selector.equals("1") ? certificate.getPublicKey().getEncoded() : null;
        } catch (CertificateEncodingException e) {
            return false;
        }
        if (selected == null) {
            return false;
        }
        switch (matching) {
            case "0":
                return PublishedRecords.hex(selected).equals(data);
            case "1":
                return PublishedRecords.hex(PublishedRecords.sha("SHA-256", selected)).equals(data);
            case "2":
                return PublishedRecords.hex(PublishedRecords.sha("SHA-512", selected)).equals(data);
            default:
                return false;
        }
    }
}

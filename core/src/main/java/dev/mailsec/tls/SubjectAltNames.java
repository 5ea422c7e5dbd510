package dev.mailsec.tls;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/**
 * Renders the subject alternative names of a certificate (RFC 5280 section 4.2.1.6) as {@code
 * TYPE:value} strings: {@code DNS:mx.example.com}, {@code EMAIL:a@example.com}, {@code
 * URI:https://example.com/}, {@code IP:192.0.2.1}, {@code DIRNAME:CN=x,O=y}, {@code RID:1.2.3.4}.
 * {@code otherName}, {@code x400Address} and {@code ediPartyName} entries, which JSSE hands over
 * only as undecoded DER, are left out.
 */
public final class SubjectAltNames {

    private SubjectAltNames() {}

    /**
     * The certificate's subject alternative names in certificate order; empty when it has none or
     * when the extension cannot be parsed (a broken extension from a peer is not our error).
     */
    public static List<String> of(X509Certificate certificate) {
        Collection<List<?>> entries;
        try {
            entries = certificate.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            return Collections.emptyList();
        }
        if (entries == null) {
            return Collections.emptyList();
        }
        List<String> names = new ArrayList<>();
        for (List<?> entry : entries) {
            if (entry.size() < 2
                    || !(entry.get(0) instanceof Integer)
                    || !(entry.get(1) instanceof String)) {
                continue;
            }
            String prefix = prefix((Integer) entry.get(0));
            if (prefix != null) {
                names.add(prefix + ":" + entry.get(1));
            }
        }
        return Collections.unmodifiableList(names);
    }

    private static String prefix(int generalNameTag) {
        switch (generalNameTag) {
            case 1:
                return "EMAIL";
            case 2:
                return "DNS";
            case 4:
                return "DIRNAME";
            case 6:
                return "URI";
            case 7:
                return "IP";
            case 8:
                return "RID";
            default:
                return null;
        }
    }
}

package dev.mailsec.tls.published;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The DNS records that publish our domains' MTA-STS (RFC 8461 section 3.1), TLS-RPT (RFC 8460
 * section 3) and, when we use DANE, the TLSA records of our MX hosts (RFC 7672 section 3.1: usage 3
 * DANE-EE, selector 1 SPKI, matching type 1 SHA-256), in zone-file syntax.
 */
public final class PublishedRecords {

    private PublishedRecords() {}

    /**
     * The records of every domain of {@code policies}; TLSA records for each non-wildcard mx when
     * {@code smtpCertificate} (the leaf certificate our SMTP server presents) is given.
     */
    public static List<String> of(OwnPolicies policies, Optional<X509Certificate> smtpCertificate) {
        List<String> lines = new ArrayList<>();
        List<String> tlsaDone = new ArrayList<>();
        for (OwnPolicy policy : policies.policies().values()) {
            String domain = policy.domain();
            lines.add(
                    "; "
                            + domain
                            + ": MTA-STS mode "
                            + policy.mode().name().toLowerCase(Locale.ROOT));
            lines.add("_mta-sts." + domain + ". IN TXT \"v=STSv1; id=" + policy.id() + "\"");
            lines.add(
                    "; mta-sts."
                            + domain
                            + ". must point (A/AAAA/CNAME) to the host running `mailsec tls mta-sts serve`");
            policies.tlsRpt(domain)
                    .ifPresent(
                            rua ->
                                    lines.add(
                                            "_smtp._tls."
                                                    + domain
                                                    + ". IN TXT \"v=TLSRPTv1; rua="
                                                    + rua
                                                    + "\""));
            if (smtpCertificate.isPresent()) {
                for (String mx : policy.mx()) {
                    if (mx.startsWith("*.")) {
                        lines.add(
                                "; "
                                        + mx
                                        + ": publish _25._tcp.HOST. TLSA for each host this pattern stands for");
                    } else if (!tlsaDone.contains(mx)) {
                        tlsaDone.add(mx);
                        lines.add(
                                "_25._tcp."
                                        + mx
                                        + ". IN TLSA 3 1 1 "
                                        + spkiSha256(smtpCertificate.get()));
                    }
                }
            }
        }
        return lines;
    }

    /** SHA-256 of the certificate's SubjectPublicKeyInfo, in lower-case hex (TLSA 3 1 1). */
    public static String spkiSha256(X509Certificate certificate) {
        return hex(sha("SHA-256", certificate.getPublicKey().getEncoded()));
    }

    static byte[] sha(String algorithm, byte[] data) {
        try {
            return MessageDigest.getInstance(algorithm).digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no " + algorithm, e);
        }
    }

    static String hex(byte[] bytes) {
        StringBuilder out = new StringBuilder();
        for (byte b : bytes) {
            out.append(String.format(Locale.ROOT, "%02x", b));
        }
        return out.toString();
    }
}

package dev.mailsec.tls.connector.dane;

import dev.mailsec.tls.connector.HostNameMatcher;
import java.security.GeneralSecurityException;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import java.util.Optional;

/**
 * Checks a server's certificate chain against its TLSA records as RFC 7672 section 3 says:
 *
 * <ul>
 *   <li>DANE-EE(3): the server certificate (or its public key) is the one designated; names and
 *       validity dates are not checked (section 3.1.1);
 *   <li>DANE-TA(2): a certificate of the chain the server sent is the designated trust anchor, the
 *       chain from the server certificate up to it validates (signatures, dates, CA constraints),
 *       and the server certificate is issued for one of the reference names: the MX host name or
 *       the recipient domain (section 3.2.2);
 *   <li>PKIX-TA(0), PKIX-EE(1) and unknown parameters are unusable (section 3.1.3) and never match.
 * </ul>
 *
 * Stateless.
 */
public final class DaneVerifier {

    private DaneVerifier() {}

    /** The outcome: whether a record matched, and a line saying which or why none did. */
    public static final class Result {
        private final boolean matched;
        private final String text;

        Result(boolean matched, String text) {
            this.matched = matched;
            this.text = text;
        }

        public boolean matched() {
            return matched;
        }

        public String text() {
            return text;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    /**
     * @param chain the server's certificates, its own first
     * @param records the host's TLSA records (unusable ones are skipped)
     * @param names the reference names for DANE-TA(2)
     * @param now the time DANE-TA(2) chains are validated at
     */
    public static Result check(
            List<X509Certificate> chain, List<TlsaRecord> records, List<String> names, Date now) {
        if (chain.isEmpty()) {
            return new Result(false, "the server sent no certificate");
        }
        X509Certificate leaf = chain.get(0);
        List<String> problems = new ArrayList<>();
        boolean anyUsable = false;
        for (TlsaRecord record : records) {
            if (!record.usable()) {
                continue;
            }
            anyUsable = true;
            if (record.usage() == TlsaRecord.DANE_EE) {
                if (record.matches(leaf)) {
                    return new Result(true, "DANE-EE(3) " + describe(record) + " matched");
                }
                continue;
            }
            for (int i = 1; i < chain.size(); i++) {
                if (!record.matches(chain.get(i))) {
                    continue;
                }
                Optional<String> invalid = validate(chain.subList(0, i), chain.get(i), now);
                if (invalid.isPresent()) {
                    problems.add("DANE-TA(2) anchor found, but " + invalid.get());
                    continue;
                }
                Optional<String> name = matchingName(leaf, names);
                if (name.isEmpty()) {
                    problems.add(
                            "DANE-TA(2) chain valid, but the certificate is not issued for "
                                    + String.join(" or ", names));
                    continue;
                }
                return new Result(
                        true,
                        "DANE-TA(2) "
                                + describe(record)
                                + " matched, certificate for "
                                + name.get());
            }
        }
        if (!anyUsable) {
            return new Result(false, "no usable TLSA record");
        }
        // TLS-RPT: validation-failure (the certificate does not match the TLSA records)
        return new Result(
                false,
                "no TLSA record matched the server's certificates"
                        + (problems.isEmpty() ? "" : ": " + String.join("; ", problems)));
    }

    private static Optional<String> matchingName(X509Certificate leaf, List<String> names) {
        for (String name : names) {
            Optional<String> matched = HostNameMatcher.match(name, leaf);
            if (matched.isPresent()) {
                return matched;
            }
        }
        return Optional.empty();
    }

    private static Optional<String> validate(
            List<X509Certificate> path, X509Certificate anchor, Date now) {
        try {
            CertPath certPath = CertificateFactory.getInstance("X.509").generateCertPath(path);
            PKIXParameters parameters =
                    new PKIXParameters(Collections.singleton(new TrustAnchor(anchor, null)));
            parameters.setRevocationEnabled(false);
            parameters.setDate(now);
            CertPathValidator.getInstance("PKIX").validate(certPath, parameters);
            return Optional.empty();
        } catch (GeneralSecurityException | RuntimeException e) {
            // hostile chains get a verdict, never an exception
            return Optional.of("the chain does not validate: " + e.getMessage());
        }
    }

    private static String describe(TlsaRecord record) {
        String selector = record.selector() == TlsaRecord.SELECTOR_SPKI ? "SPKI" : "Cert";
        String matching;
        switch (record.matchingType()) {
            case TlsaRecord.MATCH_SHA256:
                matching = "SHA2-256";
                break;
            case TlsaRecord.MATCH_SHA512:
                matching = "SHA2-512";
                break;
            default:
                matching = "Full";
                break;
        }
        return selector
                + "("
                + record.selector()
                + ") "
                + matching
                + "("
                + record.matchingType()
                + ")";
    }
}

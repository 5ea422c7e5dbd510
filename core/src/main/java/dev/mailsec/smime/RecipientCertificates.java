package dev.mailsec.smime;

import java.io.IOException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks the certificate to encrypt to for an address: of the directory's candidates, those that are
 * valid now, allow key encipherment (RSA) or key agreement (EC), allow e-mail protection, and, when
 * a {@link ChainValidator} is given, chain to a trust anchor and are not revoked. The newest usable
 * one wins. Every skipped certificate is logged with its reason.
 */
public final class RecipientCertificates {

    private static final Logger LOGGER = LoggerFactory.getLogger(RecipientCertificates.class);
    private static final String EMAIL_PROTECTION = "1.3.6.1.5.5.7.3.4";
    private static final String ANY_EKU = "2.5.29.37.0";

    private final CertificateDirectory directory;
    private final ChainValidator chains;
    private final Clock clock;

    /**
     * @param chains {@code null} to trust every certificate the directory holds (an
     *     operator-curated folder)
     */
    public RecipientCertificates(
            CertificateDirectory directory, ChainValidator chains, Clock clock) {
        this.directory = directory;
        this.chains = chains;
        this.clock = clock;
    }

    /**
     * @throws IOException when the directory or a CRL cannot be reached: not the same as "no
     *     certificate"
     */
    public Optional<X509Certificate> usableFor(String address) throws IOException {
        List<X509Certificate> candidates = directory.lookup(address);
        Optional<X509Certificate> best = Optional.empty();
        IOException temporary = null;
        for (X509Certificate c : candidates) {
            Optional<String> problem;
            try {
                problem = problem(c);
            } catch (IOException e) {
                temporary = e;
                continue;
            }
            if (problem.isPresent()) {
                LOGGER.info(
                        "S/MIME: skipping certificate serial={} subject='{}' for {}: {}",
                        c.getSerialNumber().toString(16),
                        c.getSubjectX500Principal().getName(),
                        address,
                        problem.get());
                continue;
            }
            if (best.isEmpty() || c.getNotBefore().after(best.get().getNotBefore())) {
                best = Optional.of(c);
            }
        }
        if (best.isEmpty() && temporary != null) {
            throw temporary;
        }
        return best;
    }

    /** Why a certificate cannot be used for encryption, or empty when it can. */
    public Optional<String> problem(X509Certificate c) throws IOException {
        Date now = Date.from(clock.instant());
        if (c.getNotAfter().before(now)) {
            return Optional.of("expired on " + c.getNotAfter().toInstant());
        }
        if (c.getNotBefore().after(now)) {
            return Optional.of("not valid before " + c.getNotBefore().toInstant());
        }
        String algorithm = c.getPublicKey().getAlgorithm();
        boolean[] ku = c.getKeyUsage();
        if ("EC".equals(algorithm)) {
            if (ku != null && !ku[4]) {
                return Optional.of("key usage does not allow key agreement");
            }
        } else if (algorithm.startsWith("RSA")) {
            if (ku != null && !ku[2]) {
                return Optional.of("key usage does not allow key encipherment");
            }
        } else {
            return Optional.of("unsupported key algorithm " + algorithm);
        }
        try {
            List<String> eku = c.getExtendedKeyUsage();
            if (eku != null && !eku.contains(EMAIL_PROTECTION) && !eku.contains(ANY_EKU)) {
                return Optional.of("extended key usage does not allow e-mail protection");
            }
        } catch (CertificateParsingException e) {
            return Optional.of("unreadable extended key usage");
        }
        if (chains != null) {
            ChainValidator.Outcome outcome = chains.check(c, List.of());
            if (!outcome.ok()) {
                if (outcome.temporary()) {
                    throw new IOException(outcome.reason());
                }
                return Optional.of(outcome.reason());
            }
        }
        return Optional.empty();
    }

    /** Sorts newest first; exposed for callers that want every usable certificate. */
    static Comparator<X509Certificate> newestFirst() {
        return Comparator.comparing(X509Certificate::getNotBefore).reversed();
    }
}

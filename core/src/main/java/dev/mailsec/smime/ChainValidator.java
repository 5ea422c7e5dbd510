package dev.mailsec.smime;

import java.io.IOException;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.cert.CertPath;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertStore;
import java.security.cert.Certificate;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.PKIXCertPathBuilderResult;
import java.security.cert.PKIXParameters;
import java.security.cert.PKIXRevocationChecker;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CRL;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Builds a certificate's chain to the trust anchors and checks it, revocation included, with the
 * JDK's PKIX implementation. Revocation: a certificate with an OCSP responder in its Authority
 * Information Access is asked there first ({@link OcspSource}, cached); "good" settles it,
 * "revoked" fails it; when the responder is unreachable, untrustworthy or says "unknown", the CRL
 * distribution points are used; a certificate with neither a usable answer nor a CRL distribution
 * point is a {@code temporary} failure under {@link OcspFailure#HARD} and passes under {@link
 * OcspFailure#SOFT}. CRLs come from the distribution points through a {@link CrlSource} (which
 * caches); the names of one point (e.g. an {@code ldap:} and an {@code http:} URL) are tried in
 * turn, and a point none of whose names answers is always temporary. Used for signers and for
 * recipient certificates alike.
 */
public final class ChainValidator {

    /** What an unanswered OCSP query means for a certificate without a CRL distribution point. */
    public enum OcspFailure {
        /** temporary failure (temperror): no pass without a revocation answer */
        HARD,
        /** the certificate counts as not revoked (what most mail clients do) */
        SOFT
    }

    private final Set<TrustAnchor> anchors;
    private final CrlSource crls;
    private final OcspSource ocsp;
    private final OcspFailure ocspFailure;
    private final Clock clock;

    /** The verdict on one certificate. */
    public static final class Outcome {
        private static final Outcome OK = new Outcome(true, false, null);
        private final boolean ok;
        private final boolean temporary;
        private final String reason;

        private Outcome(boolean ok, boolean temporary, String reason) {
            this.ok = ok;
            this.temporary = temporary;
            this.reason = reason;
        }

        public boolean ok() {
            return ok;
        }

        /** True when a retry may succeed (a CRL could not be fetched). */
        public boolean temporary() {
            return temporary;
        }

        public String reason() {
            return reason;
        }
    }

    /**
     * @param crls {@code null} to skip revocation checking
     */
    public ChainValidator(Set<TrustAnchor> anchors, CrlSource crls, Clock clock) {
        this(anchors, crls, null, OcspFailure.HARD, clock);
    }

    /**
     * @param crls {@code null} to skip revocation checking (OCSP included)
     * @param ocsp {@code null} for CRLs only
     */
    public ChainValidator(
            Set<TrustAnchor> anchors,
            CrlSource crls,
            OcspSource ocsp,
            OcspFailure ocspFailure,
            Clock clock) {
        if (anchors.isEmpty()) {
            throw new IllegalArgumentException("at least one trust anchor is needed");
        }
        this.anchors = Set.copyOf(anchors);
        this.crls = crls;
        this.ocsp = crls == null ? null : ocsp;
        this.ocspFailure = ocspFailure;
        this.clock = clock;
    }

    public Outcome check(X509Certificate cert, Collection<X509Certificate> intermediates) {
        Date now = Date.from(clock.instant());
        CertPath path;
        X509Certificate anchorCert;
        try {
            X509CertSelector target = new X509CertSelector();
            target.setCertificate(cert);
            PKIXBuilderParameters params = new PKIXBuilderParameters(anchors, target);
            params.addCertStore(
                    CertStore.getInstance(
                            "Collection", new CollectionCertStoreParameters(intermediates)));
            params.setRevocationEnabled(false);
            params.setDate(now);
            PKIXCertPathBuilderResult built =
                    (PKIXCertPathBuilderResult) CertPathBuilder.getInstance("PKIX").build(params);
            path = built.getCertPath();
            anchorCert = built.getTrustAnchor().getTrustedCert();
        } catch (CertPathBuilderException e) {
            String why =
                    cert.getNotAfter().before(now)
                            ? "certificate expired"
                            : cert.getNotBefore().after(now)
                                    ? "certificate not yet valid"
                                    : "no chain to a trusted anchor";
            return new Outcome(false, false, why);
        } catch (GeneralSecurityException e) {
            return new Outcome(false, true, "cannot build the chain: " + e.getMessage());
        }
        if (crls == null) {
            return Outcome.OK;
        }
        List<X509CRL> lists = new ArrayList<>();
        List<? extends Certificate> certs = path.getCertificates();
        for (int i = 0; i < certs.size(); i++) {
            X509Certificate c = (X509Certificate) certs.get(i);
            X509Certificate issuer =
                    i + 1 < certs.size() ? (X509Certificate) certs.get(i + 1) : anchorCert;
            String ocspProblem = null;
            List<URI> responders =
                    ocsp == null || issuer == null
                            ? List.of()
                            : RevocationPointers.ocspResponders(c);
            boolean settled = false;
            for (URI responder : responders) {
                try {
                    OcspSource.Status status = ocsp.check(responder, c, issuer);
                    if (status == OcspSource.Status.REVOKED) {
                        return new Outcome(false, false, "certificate revoked (OCSP)");
                    }
                    if (status == OcspSource.Status.GOOD) {
                        settled = true;
                        break;
                    }
                    ocspProblem = "OCSP responder " + responder + " does not know the certificate";
                } catch (IOException e) {
                    ocspProblem = "OCSP unavailable: " + e.getMessage();
                }
            }
            if (settled) {
                continue;
            }
            List<List<URI>> points = RevocationPointers.distributionPoints(c);
            if (points.isEmpty() && ocspProblem != null && ocspFailure == OcspFailure.HARD) {
                return new Outcome(false, true, ocspProblem);
            }
            for (List<URI> names : points) {
                // the names of one point lead to the same CRL: the first that answers is enough
                X509CRL crl = null;
                for (URI uri : names) {
                    try {
                        crl = crls.fetch(uri);
                        break;
                    } catch (IOException e) {
                        // try the point's next name
                    }
                }
                if (crl == null) {
                    return new Outcome(false, true, "CRL unavailable: " + names);
                }
                lists.add(crl);
            }
        }
        try {
            PKIXParameters params = new PKIXParameters(anchors);
            params.setDate(now);
            params.addCertStore(
                    CertStore.getInstance("Collection", new CollectionCertStoreParameters(lists)));
            CertPathValidator validator = CertPathValidator.getInstance("PKIX");
            PKIXRevocationChecker checker =
                    (PKIXRevocationChecker) validator.getRevocationChecker();
            // CRLs only, from what we fetched; a certificate without a distribution point is not
            // revocable here
            checker.setOptions(
                    EnumSet.of(
                            PKIXRevocationChecker.Option.PREFER_CRLS,
                            PKIXRevocationChecker.Option.NO_FALLBACK,
                            PKIXRevocationChecker.Option.SOFT_FAIL));
            params.addCertPathChecker(checker);
            params.setRevocationEnabled(true);
            validator.validate(path, params);
            return Outcome.OK;
        } catch (CertPathValidatorException e) {
            if (e.getReason() == CertPathValidatorException.BasicReason.REVOKED) {
                return new Outcome(false, false, "certificate revoked");
            }
            return new Outcome(false, false, "chain invalid: " + e.getMessage());
        } catch (GeneralSecurityException e) {
            return new Outcome(false, true, "cannot validate the chain: " + e.getMessage());
        }
    }
}

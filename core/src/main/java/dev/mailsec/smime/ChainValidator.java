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
 * JDK's PKIX implementation; CRLs come from the certificates' distribution points through a
 * {@link CrlSource} (which caches). Used for signers and for recipient certificates alike.
 */
public final class ChainValidator {

    private final Set<TrustAnchor> anchors;
    private final CrlSource crls;
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
        if (anchors.isEmpty()) {
            throw new IllegalArgumentException("at least one trust anchor is needed");
        }
        this.anchors = Set.copyOf(anchors);
        this.crls = crls;
        this.clock = clock;
    }

    public Outcome check(X509Certificate cert, Collection<X509Certificate> intermediates) {
        Date now = Date.from(clock.instant());
        CertPath path;
        try {
            X509CertSelector target = new X509CertSelector();
            target.setCertificate(cert);
            PKIXBuilderParameters params = new PKIXBuilderParameters(anchors, target);
            params.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(intermediates)));
            params.setRevocationEnabled(false);
            params.setDate(now);
            path = ((PKIXCertPathBuilderResult) CertPathBuilder.getInstance("PKIX").build(params)).getCertPath();
        } catch (CertPathBuilderException e) {
            String why = cert.getNotAfter().before(now) ? "certificate expired"
                : cert.getNotBefore().after(now) ? "certificate not yet valid" : "no chain to a trusted anchor";
            return new Outcome(false, false, why);
        } catch (GeneralSecurityException e) {
            return new Outcome(false, true, "cannot build the chain: " + e.getMessage());
        }
        if (crls == null) {
            return Outcome.OK;
        }
        List<X509CRL> lists = new ArrayList<>();
        for (java.security.cert.Certificate c : path.getCertificates()) {
            for (URI uri : SmimeVerifier.distributionPoints((X509Certificate) c)) {
                try {
                    lists.add(crls.fetch(uri));
                } catch (IOException e) {
                    return new Outcome(false, true, "CRL unavailable: " + uri);
                }
            }
        }
        try {
            PKIXParameters params = new PKIXParameters(anchors);
            params.setDate(now);
            params.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(lists)));
            CertPathValidator validator = CertPathValidator.getInstance("PKIX");
            PKIXRevocationChecker checker = (PKIXRevocationChecker) validator.getRevocationChecker();
            // CRLs only, from what we fetched; a certificate without a distribution point is not revocable here
            checker.setOptions(EnumSet.of(PKIXRevocationChecker.Option.PREFER_CRLS, PKIXRevocationChecker.Option.NO_FALLBACK,
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

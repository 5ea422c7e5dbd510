package dev.mailsec.smime;

import dev.mailsec.shaded.bc.asn1.ASN1ObjectIdentifier;
import dev.mailsec.shaded.bc.asn1.nist.NISTObjectIdentifiers;
import dev.mailsec.shaded.bc.asn1.pkcs.PKCSObjectIdentifiers;
import dev.mailsec.shaded.bc.cms.CMSException;
import dev.mailsec.shaded.bc.cms.CMSSignerDigestMismatchException;
import dev.mailsec.shaded.bc.cms.CMSVerifierCertificateNotValidException;
import dev.mailsec.shaded.bc.cms.SignerInformation;
import dev.mailsec.shaded.bc.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import dev.mailsec.shaded.bc.operator.OperatorCreationException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The checks of one signer that need no chain: the signature over the signed attributes and content
 * (with the certificate's validity at signing), a strong digest, and the certificate's key usage
 * for signing and e-mail protection (RFC 8550 section 4.4). Stateless.
 */
final class SignerCheck {
    private static final Set<ASN1ObjectIdentifier> STRONG_DIGESTS =
            Set.of(
                    NISTObjectIdentifiers.id_sha256,
                    NISTObjectIdentifiers.id_sha384,
                    NISTObjectIdentifiers.id_sha512,
                    NISTObjectIdentifiers.id_sha224,
                    NISTObjectIdentifiers.id_sha3_256,
                    NISTObjectIdentifiers.id_sha3_384,
                    NISTObjectIdentifiers.id_sha3_512);
    private static final String EMAIL_PROTECTION = "1.3.6.1.5.5.7.3.4";
    private static final String ANY_EKU = "2.5.29.37.0";

    private SignerCheck() {}

    /** The verdict when the signer fails a check, else empty. */
    static Optional<SmimeVerification> problem(
            SignerInformation signer, X509Certificate cert, SignerIdentity who, Clock clock) {
        try {
            JcaSimpleSignerInfoVerifierBuilder builder = new JcaSimpleSignerInfoVerifierBuilder();
            if (PKCSObjectIdentifiers.id_RSASSA_PSS.getId().equals(signer.getEncryptionAlgOID())) {
                builder.setProvider(BcProvider.INSTANCE);
            }
            if (!signer.verify(builder.build(cert))) {
                return Optional.of(who.verdict(SmimeResult.FAIL, "signature does not verify"));
            }
        } catch (CMSVerifierCertificateNotValidException e) {
            Date now = Date.from(clock.instant());
            String why =
                    cert.getNotAfter().before(now)
                            ? "certificate expired"
                            : cert.getNotBefore().after(now)
                                    ? "certificate not yet valid"
                                    : "certificate not valid at signing time";
            return Optional.of(who.verdict(SmimeResult.FAIL, why));
        } catch (CMSSignerDigestMismatchException e) {
            return Optional.of(
                    who.verdict(
                            SmimeResult.FAIL, "content altered after signing (digest mismatch)"));
        } catch (CMSException | OperatorCreationException | RuntimeException e) {
            return Optional.of(
                    who.verdict(
                            SmimeResult.FAIL,
                            "signature does not verify: " + SignedEntity.brief(e)));
        }
        if (!STRONG_DIGESTS.contains(signer.getDigestAlgorithmID().getAlgorithm())) {
            return Optional.of(
                    who.verdict(SmimeResult.POLICY, "weak digest " + signer.getDigestAlgOID()));
        }
        return usageProblem(cert).map(usage -> who.verdict(SmimeResult.FAIL, usage));
    }

    /**
     * RFC 8550 section 4.4: key usage must allow signing, extended key usage (if any) e-mail
     * protection.
     */
    private static Optional<String> usageProblem(X509Certificate cert) {
        boolean[] ku = cert.getKeyUsage();
        if (ku != null && !(ku[0] || ku[1])) {
            return Optional.of("certificate key usage does not allow signing");
        }
        try {
            List<String> eku = cert.getExtendedKeyUsage();
            if (eku != null && !eku.contains(EMAIL_PROTECTION) && !eku.contains(ANY_EKU)) {
                return Optional.of("certificate is not for e-mail protection");
            }
        } catch (CertificateParsingException e) {
            return Optional.of("unreadable extended key usage");
        }
        return Optional.empty();
    }
}

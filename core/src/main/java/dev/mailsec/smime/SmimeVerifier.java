package dev.mailsec.smime;

import dev.mailsec.shaded.bc.cert.X509CertificateHolder;
import dev.mailsec.shaded.bc.cert.jcajce.JcaX509CertificateConverter;
import dev.mailsec.shaded.bc.cms.CMSSignedData;
import dev.mailsec.shaded.bc.cms.SignerInformation;
import dev.mailsec.smime.internal.MessageHead;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.cert.CertificateException;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Verifies an S/MIME signed message (detached {@code multipart/signed} or opaque signed-data): the
 * signature over the signed entity, the chain to the configured trust anchors with the JDK's PKIX
 * validator, revocation from the certificates' CRL distribution points, the certificate's key usage
 * for signing and e-mail protection, and that the signer is the From: address. Hostile input gets a
 * verdict, never an exception. Safe to share: each call is independent.
 *
 * <p>Rooms: {@link SignedEntity} takes the message apart, {@link SignerCheck} checks a signer's
 * signature, digest and key usage, the {@link ChainValidator} builds and checks the path to an
 * anchor (revocation from {@link RevocationPointers}), and {@link SignerIdentity} makes the
 * verdict.
 */
public final class SmimeVerifier {

    private final ChainValidator chains;
    private final Clock clock;

    /**
     * @param crls where revocation lists come from, or {@code null} to skip revocation checking
     */
    public SmimeVerifier(Set<TrustAnchor> anchors, CrlSource crls, Clock clock) {
        this(new ChainValidator(anchors, crls, clock), clock);
    }

    /** With a chain validator of the caller's choice (OCSP, soft or hard failure). */
    public SmimeVerifier(ChainValidator chains, Clock clock) {
        this.chains = chains;
        this.clock = clock;
    }

    public SmimeVerification verify(InputStream message) throws IOException {
        return verify(message.readAllBytes(), null);
    }

    /**
     * Verifies, and when {@code unwrapped} is not null and the message is signed, writes the
     * message without its signature (outer fields plus the signed entity, byte for byte) there,
     * whatever the result.
     */
    public SmimeVerification verify(byte[] message, OutputStream unwrapped) throws IOException {
        SignedEntity entity = SignedEntity.read(message);
        if (entity.verdict().isPresent()) {
            return entity.verdict().get();
        }
        if (unwrapped != null) {
            entity.writeUnwrapped(unwrapped);
        }
        return judge(entity.signed, entity.head);
    }

    private SmimeVerification judge(CMSSignedData signed, MessageHead head) {
        Collection<SignerInformation> signers = signed.getSignerInfos().getSigners();
        if (signers.isEmpty()) {
            return SmimeVerification.of(SmimeResult.PERMERROR, "no signer");
        }
        List<X509Certificate> certificates = new ArrayList<>();
        try {
            for (Object o : signed.getCertificates().getMatches(null)) {
                certificates.add(
                        new JcaX509CertificateConverter()
                                .getCertificate((X509CertificateHolder) o));
            }
        } catch (CertificateException e) {
            return SmimeVerification.of(
                    SmimeResult.PERMERROR, "unreadable certificate in the signature");
        }
        SmimeVerification first = null;
        for (SignerInformation signer : signers) {
            SmimeVerification v = judgeSigner(signed, signer, certificates, head);
            if (v.result() == SmimeResult.PASS) {
                return v;
            }
            if (first == null) {
                first = v;
            }
        }
        return first;
    }

    @SuppressWarnings("unchecked")
    private SmimeVerification judgeSigner(
            CMSSignedData signed,
            SignerInformation signer,
            List<X509Certificate> certificates,
            MessageHead head) {
        Collection<X509CertificateHolder> matches =
                signed.getCertificates().getMatches(signer.getSID());
        if (matches.isEmpty()) {
            return SmimeVerification.of(SmimeResult.PERMERROR, "signer certificate not included");
        }
        X509Certificate cert;
        try {
            cert = new JcaX509CertificateConverter().getCertificate(matches.iterator().next());
        } catch (CertificateException e) {
            return SmimeVerification.of(SmimeResult.PERMERROR, "unreadable signer certificate");
        }
        SignerIdentity who = new SignerIdentity(cert);
        Optional<SmimeVerification> problem = SignerCheck.problem(signer, cert, who, clock);
        if (problem.isPresent()) {
            return problem.get();
        }
        ChainValidator.Outcome chain = chains.check(cert, certificates);
        if (!chain.ok()) {
            return who.verdict(
                    chain.temporary() ? SmimeResult.TEMPERROR : SmimeResult.FAIL, chain.reason());
        }
        Optional<String> from = head.first("From").map(f -> Addresses.firstAddress(f.value()));
        PeerCapabilities capabilities =
                PeerCapabilities.fromSignedAttributes(signer.getSignedAttributes()).orElse(null);
        if (from.isEmpty() || !who.addresses.contains(from.get())) {
            return who.verdict(
                    SmimeResult.POLICY,
                    "signer "
                            + String.join(",", who.addresses)
                            + " is not the From: address "
                            + from.orElse("(none)"),
                    capabilities);
        }
        return who.verdict(SmimeResult.PASS, null, capabilities);
    }
}

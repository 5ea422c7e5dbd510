package dev.mailsec.smime;

import dev.mailsec.asn1.BerLimitException;
import dev.mailsec.asn1.BerLimits;
import dev.mailsec.shaded.bc.asn1.ASN1ObjectIdentifier;
import dev.mailsec.shaded.bc.asn1.nist.NISTObjectIdentifiers;
import dev.mailsec.shaded.bc.asn1.pkcs.PKCSObjectIdentifiers;
import dev.mailsec.shaded.bc.asn1.x509.CRLDistPoint;
import dev.mailsec.shaded.bc.asn1.x509.DistributionPoint;
import dev.mailsec.shaded.bc.asn1.x509.DistributionPointName;
import dev.mailsec.shaded.bc.asn1.x509.Extension;
import dev.mailsec.shaded.bc.asn1.x509.GeneralName;
import dev.mailsec.shaded.bc.asn1.x509.GeneralNames;
import dev.mailsec.shaded.bc.cert.X509CertificateHolder;
import dev.mailsec.shaded.bc.cert.jcajce.JcaX509CertificateConverter;
import dev.mailsec.shaded.bc.cms.CMSException;
import dev.mailsec.shaded.bc.cms.CMSProcessableByteArray;
import dev.mailsec.shaded.bc.cms.CMSSignedData;
import dev.mailsec.shaded.bc.cms.CMSSignerDigestMismatchException;
import dev.mailsec.shaded.bc.cms.SignerInformation;
import dev.mailsec.shaded.bc.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import dev.mailsec.shaded.bc.operator.OperatorCreationException;
import dev.mailsec.smime.internal.ContentType;
import dev.mailsec.smime.internal.MessageHead;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Verifies an S/MIME signed message (detached {@code multipart/signed} or opaque signed-data): the
 * signature over the signed entity, the chain to the configured trust anchors with the JDK's PKIX
 * validator, revocation from the certificates' CRL distribution points, the certificate's key usage
 * for signing and e-mail protection, and that the signer is the From: address. Hostile input gets a
 * verdict, never an exception. Safe to share: each call is independent.
 */
public final class SmimeVerifier {

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
        ByteArrayInputStream in = new ByteArrayInputStream(message);
        MessageHead head;
        try {
            head = MessageHead.read(in);
        } catch (IOException e) {
            return SmimeVerification.of(SmimeResult.PERMERROR, "unreadable header block");
        }
        int bodyStart = message.length - in.available();
        ContentType type = head.contentType();
        SmimeKind kind = SmimeMessages.classify(type);
        byte[] content;
        CMSSignedData signed;
        try {
            if (kind == SmimeKind.SIGNED_DETACHED) {
                Optional<String> boundary = type.parameter("boundary");
                if (boundary.isEmpty()) {
                    return SmimeVerification.of(
                            SmimeResult.PERMERROR, "multipart/signed without a boundary");
                }
                List<byte[]> parts = MultipartSplitter.split(message, bodyStart, boundary.get());
                if (parts.size() != 2) {
                    return SmimeVerification.of(
                            SmimeResult.PERMERROR,
                            "multipart/signed with " + parts.size() + " parts, expected 2");
                }
                content = parts.get(0);
                byte[] signature = decodePart(parts.get(1));
                BerLimits.check(signature);
                signed =
                        new CMSSignedData(
                                new CMSProcessableByteArray(canonical(content)), signature);
            } else if (kind == SmimeKind.SIGNED_OPAQUE) {
                String cte = head.transferEncoding().orElse("7bit");
                byte[] body = java.util.Arrays.copyOfRange(message, bodyStart, message.length);
                byte[] der = "base64".equals(cte) ? Base64.getMimeDecoder().decode(body) : body;
                BerLimits.check(der);
                signed = new CMSSignedData(der);
                if (signed.getSignedContent() == null) {
                    return SmimeVerification.of(
                            SmimeResult.PERMERROR, "opaque signed-data without content");
                }
                content = (byte[]) signed.getSignedContent().getContent();
            } else {
                return SmimeVerification.of(SmimeResult.NONE, null);
            }
            // Bouncy Castle parses SignerInfos and certificates on first use: do it here, inside
            // the catch
            signed.getSignerInfos();
            signed.getCertificates();
        } catch (BerLimitException e) {
            return SmimeVerification.of(
                    SmimeResult.PERMERROR, "signature refused: " + e.getMessage());
        } catch (CMSException
                | IllegalArgumentException
                | IllegalStateException
                | ClassCastException
                | IOException e) {
            // IllegalStateException: Bouncy Castle's stream parser for malformed encodings (an
            // empty BIT STRING segment)
            return SmimeVerification.of(SmimeResult.PERMERROR, "malformed signature: " + brief(e));
        }
        if (unwrapped != null) {
            head.writeOuterFields(unwrapped);
            unwrapped.write(content);
            unwrapped.flush();
        }
        return judge(signed, head);
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
        } catch (java.security.cert.CertificateException e) {
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
        } catch (java.security.cert.CertificateException e) {
            return SmimeVerification.of(SmimeResult.PERMERROR, "unreadable signer certificate");
        }
        Set<String> addresses = CertificateAddresses.of(cert);
        String subject = cert.getSubjectX500Principal().getName();
        String serial = cert.getSerialNumber().toString(16);
        try {
            JcaSimpleSignerInfoVerifierBuilder builder = new JcaSimpleSignerInfoVerifierBuilder();
            if (PKCSObjectIdentifiers.id_RSASSA_PSS.getId().equals(signer.getEncryptionAlgOID())) {
                builder.setProvider(BcProvider.INSTANCE);
            }
            if (!signer.verify(builder.build(cert))) {
                return SmimeVerification.signed(
                        SmimeResult.FAIL,
                        "signature does not verify",
                        addresses,
                        subject,
                        serial,
                        null);
            }
        } catch (dev.mailsec.shaded.bc.cms.CMSVerifierCertificateNotValidException e) {
            Date now = Date.from(clock.instant());
            String why =
                    cert.getNotAfter().before(now)
                            ? "certificate expired"
                            : cert.getNotBefore().after(now)
                                    ? "certificate not yet valid"
                                    : "certificate not valid at signing time";
            return SmimeVerification.signed(
                    SmimeResult.FAIL, why, addresses, subject, serial, null);
        } catch (CMSSignerDigestMismatchException e) {
            return SmimeVerification.signed(
                    SmimeResult.FAIL,
                    "content altered after signing (digest mismatch)",
                    addresses,
                    subject,
                    serial,
                    null);
        } catch (CMSException | OperatorCreationException | RuntimeException e) {
            return SmimeVerification.signed(
                    SmimeResult.FAIL,
                    "signature does not verify: " + brief(e),
                    addresses,
                    subject,
                    serial,
                    null);
        }
        if (!STRONG_DIGESTS.contains(signer.getDigestAlgorithmID().getAlgorithm())) {
            return SmimeVerification.signed(
                    SmimeResult.POLICY,
                    "weak digest " + signer.getDigestAlgOID(),
                    addresses,
                    subject,
                    serial,
                    null);
        }
        Optional<String> usage = usageProblem(cert);
        if (usage.isPresent()) {
            return SmimeVerification.signed(
                    SmimeResult.FAIL, usage.get(), addresses, subject, serial, null);
        }
        SmimeVerification chain = chain(cert, certificates, addresses, subject, serial);
        if (chain != null) {
            return chain;
        }
        Optional<String> from = head.first("From").map(f -> Addresses.firstAddress(f.value()));
        PeerCapabilities capabilities =
                PeerCapabilities.fromSignedAttributes(signer.getSignedAttributes()).orElse(null);
        if (from.isEmpty() || !addresses.contains(from.get())) {
            return SmimeVerification.signed(
                    SmimeResult.POLICY,
                    "signer "
                            + String.join(",", addresses)
                            + " is not the From: address "
                            + from.orElse("(none)"),
                    addresses,
                    subject,
                    serial,
                    capabilities);
        }
        return SmimeVerification.signed(
                SmimeResult.PASS, null, addresses, subject, serial, capabilities);
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
        } catch (java.security.cert.CertificateParsingException e) {
            return Optional.of("unreadable extended key usage");
        }
        return Optional.empty();
    }

    /** Null when the chain is good; otherwise the verdict. */
    private SmimeVerification chain(
            X509Certificate cert,
            List<X509Certificate> certificates,
            Set<String> addresses,
            String subject,
            String serial) {
        ChainValidator.Outcome outcome = chains.check(cert, certificates);
        if (outcome.ok()) {
            return null;
        }
        return SmimeVerification.signed(
                outcome.temporary() ? SmimeResult.TEMPERROR : SmimeResult.FAIL,
                outcome.reason(),
                addresses,
                subject,
                serial,
                null);
    }

    /** The http(s) OCSP responders of the certificate's Authority Information Access extension. */
    static List<URI> ocspResponders(X509Certificate cert) {
        List<URI> uris = new ArrayList<>();
        byte[] ext = cert.getExtensionValue(Extension.authorityInfoAccess.getId());
        if (ext == null) {
            return uris;
        }
        try {
            byte[] value = dev.mailsec.shaded.bc.asn1.ASN1OctetString.getInstance(ext).getOctets();
            BerLimits.check(value);
            dev.mailsec.shaded.bc.asn1.x509.AuthorityInformationAccess aia =
                    dev.mailsec.shaded.bc.asn1.x509.AuthorityInformationAccess.getInstance(value);
            for (dev.mailsec.shaded.bc.asn1.x509.AccessDescription d :
                    aia.getAccessDescriptions()) {
                GeneralName gn = d.getAccessLocation();
                if (!dev.mailsec.shaded.bc.asn1.x509.AccessDescription.id_ad_ocsp.equals(
                                d.getAccessMethod())
                        || gn.getTagNo() != GeneralName.uniformResourceIdentifier) {
                    continue;
                }
                String s = gn.getName().toString();
                String lower = s.toLowerCase(Locale.ROOT);
                if (lower.startsWith("http:") || lower.startsWith("https:")) {
                    try {
                        uris.add(new URI(s));
                    } catch (URISyntaxException e) {
                        // an unusable responder address is skipped; CRLs may still decide
                    }
                }
            }
        } catch (IllegalArgumentException | BerLimitException e) {
            // a malformed extension names no responder
        }
        return uris;
    }

    /**
     * The certificate's CRL distribution points, each as its list of URLs in the order given: the
     * names of one point are alternative ways to the same CRL (RFC 5280 section 4.2.1.13). Schemes
     * we can fetch: http, https, file, ldap, ldaps; a point with none of those is left out.
     */
    static List<List<URI>> distributionPoints(X509Certificate cert) {
        List<List<URI>> points = new ArrayList<>();
        byte[] ext = cert.getExtensionValue(Extension.cRLDistributionPoints.getId());
        if (ext == null) {
            return points;
        }
        try {
            byte[] value = dev.mailsec.shaded.bc.asn1.ASN1OctetString.getInstance(ext).getOctets();
            BerLimits.check(value);
            CRLDistPoint extension = CRLDistPoint.getInstance(value);
            for (DistributionPoint dp : extension.getDistributionPoints()) {
                DistributionPointName name = dp.getDistributionPoint();
                if (name == null || name.getType() != DistributionPointName.FULL_NAME) {
                    continue;
                }
                List<URI> uris = new ArrayList<>();
                for (GeneralName gn : GeneralNames.getInstance(name.getName()).getNames()) {
                    if (gn.getTagNo() == GeneralName.uniformResourceIdentifier) {
                        String s = gn.getName().toString();
                        String lower = s.toLowerCase(Locale.ROOT);
                        if (lower.startsWith("http:")
                                || lower.startsWith("https:")
                                || lower.startsWith("file:")
                                || lower.startsWith("ldap:")
                                || lower.startsWith("ldaps:")) {
                            try {
                                uris.add(new URI(s));
                            } catch (URISyntaxException e) {
                                // an unusable URL is skipped; another name or distribution point
                                // may serve
                            }
                        }
                    }
                }
                if (!uris.isEmpty()) {
                    points.add(uris);
                }
            }
        } catch (IllegalArgumentException | BerLimitException e) {
            // unreadable extension: no distribution point
        }
        return points;
    }

    private static byte[] decodePart(byte[] part) throws IOException {
        ByteArrayInputStream in = new ByteArrayInputStream(part);
        MessageHead head = MessageHead.read(in);
        byte[] body = in.readAllBytes();
        String cte = head.transferEncoding().orElse("7bit");
        return "base64".equals(cte) ? Base64.getMimeDecoder().decode(body) : body;
    }

    /**
     * The signed form is CRLF (RFC 8551 section 3.1.1); a store that kept bare LF gets them back.
     */
    private static byte[] canonical(byte[] content) throws IOException {
        boolean bareLf =
                content.length > 0
                        && (content[0] == '\n'
                                || dev.mailsec.smime.internal.ByteScan.nextBareLineFeed(
                                                content, 1, content.length)
                                        >= 0);
        if (!bareLf) {
            return content;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + content.length / 20);
        try (OutputStream crlf = new dev.mailsec.smime.internal.CrlfOutputStream(out)) {
            crlf.write(content);
        }
        return out.toByteArray();
    }

    private static String brief(Exception e) {
        String m = e.getMessage();
        return m == null
                ? e.getClass().getSimpleName()
                : (m.length() > 120 ? m.substring(0, 120) : m);
    }

    static String ascii(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }
}

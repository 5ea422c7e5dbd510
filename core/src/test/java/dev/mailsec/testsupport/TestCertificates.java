package dev.mailsec.testsupport;

import dev.mailsec.shaded.bc.asn1.x500.X500Name;
import dev.mailsec.shaded.bc.asn1.x509.BasicConstraints;
import dev.mailsec.shaded.bc.asn1.x509.ExtendedKeyUsage;
import dev.mailsec.shaded.bc.asn1.x509.Extension;
import dev.mailsec.shaded.bc.asn1.x509.GeneralName;
import dev.mailsec.shaded.bc.asn1.x509.GeneralNames;
import dev.mailsec.shaded.bc.asn1.x509.KeyPurposeId;
import dev.mailsec.shaded.bc.cert.CertIOException;
import dev.mailsec.shaded.bc.cert.jcajce.JcaX509CertificateConverter;
import dev.mailsec.shaded.bc.cert.jcajce.JcaX509v3CertificateBuilder;
import dev.mailsec.shaded.bc.operator.jcajce.JcaContentSignerBuilder;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The certificate-making the test PKIs share ({@link PemPki}, the client-certificate, DANE and
 * S/MIME ones), with Bouncy Castle: key pairs, a started certificate (names, serial, validity), its
 * signature, and a plain CA or server/client certificate.
 */
public final class TestCertificates {

    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    private TestCertificates() {}

    /** An EC P-256 key pair. */
    public static KeyPair ec() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** An RSA 2048 key pair. */
    public static KeyPair rsa() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A certificate of {@code subject} for {@code key} with a fresh serial, issued by {@code
     * issuer} (the subject itself when null), valid from {@code from} to {@code to}; add
     * extensions, then {@link #sign}.
     */
    public static JcaX509v3CertificateBuilder start(
            X509Certificate issuer, X500Name subject, PublicKey key, Instant from, Instant to) {
        return new JcaX509v3CertificateBuilder(
                issuer == null
                        ? subject
                        : X500Name.getInstance(issuer.getSubjectX500Principal().getEncoded()),
                BigInteger.valueOf(SERIAL.incrementAndGet()),
                Date.from(from),
                Date.from(to),
                subject,
                key);
    }

    /** The certificate {@code b} signed with {@code signer} by {@code algorithm}. */
    public static X509Certificate sign(
            JcaX509v3CertificateBuilder b, String algorithm, PrivateKey signer) {
        try {
            return new JcaX509CertificateConverter()
                    .getCertificate(b.build(new JcaContentSignerBuilder(algorithm).build(signer)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A certificate with basic constraints ({@code isCa}, critical), an extended key usage when
     * {@code usage} is not null and the {@code dnsNames} as subject alternative names, signed by
     * {@code signer} (the issuer's key, or the subject's own when {@code issuer} is null).
     */
    public static X509Certificate issue(
            String cn,
            PublicKey subject,
            X509Certificate issuer,
            PrivateKey signer,
            String algorithm,
            boolean isCa,
            Instant from,
            Instant to,
            KeyPurposeId usage,
            String... dnsNames) {
        JcaX509v3CertificateBuilder b = start(issuer, new X500Name(cn), subject, from, to);
        try {
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
            if (usage != null) {
                b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(usage));
            }
            if (dnsNames.length > 0) {
                GeneralName[] names = new GeneralName[dnsNames.length];
                for (int i = 0; i < names.length; i++) {
                    names[i] = new GeneralName(GeneralName.dNSName, dnsNames[i]);
                }
                b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
            }
            return sign(b, algorithm, signer);
        } catch (CertIOException e) {
            throw new IllegalStateException(e);
        }
    }
}

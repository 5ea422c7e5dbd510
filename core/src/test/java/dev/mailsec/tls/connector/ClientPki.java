package dev.mailsec.tls.connector;

import dev.mailsec.shaded.bc.asn1.x500.X500Name;
import dev.mailsec.shaded.bc.asn1.x509.BasicConstraints;
import dev.mailsec.shaded.bc.asn1.x509.ExtendedKeyUsage;
import dev.mailsec.shaded.bc.asn1.x509.Extension;
import dev.mailsec.shaded.bc.asn1.x509.GeneralName;
import dev.mailsec.shaded.bc.asn1.x509.GeneralNames;
import dev.mailsec.shaded.bc.asn1.x509.KeyPurposeId;
import dev.mailsec.shaded.bc.cert.jcajce.JcaX509CertificateConverter;
import dev.mailsec.shaded.bc.cert.jcajce.JcaX509v3CertificateBuilder;
import dev.mailsec.shaded.bc.operator.jcajce.JcaContentSignerBuilder;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;

/** A CA issuing client and server certificates for the client-certificate tests. */
final class ClientPki {

    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    final KeyPair caKeys = rsa();
    final X509Certificate ca = issue("CN=client test CA", caKeys, caKeys, null, null, true, 0, 30);

    /** A key pair and its certificate. */
    static final class Issued {
        final KeyPair keys;
        final X509Certificate certificate;

        Issued(KeyPair keys, X509Certificate certificate) {
            this.keys = keys;
            this.certificate = certificate;
        }
    }

    Issued client(String cn) {
        return issued(cn, KeyPurposeId.id_kp_clientAuth, null, -1, 10);
    }

    Issued expiredClient(String cn) {
        return issued(cn, KeyPurposeId.id_kp_clientAuth, null, -10, -1);
    }

    Issued serverOnly(String cn) {
        return issued(cn, KeyPurposeId.id_kp_serverAuth, null, -1, 10);
    }

    Issued server(String dnsName) {
        return issued("CN=" + dnsName, KeyPurposeId.id_kp_serverAuth, dnsName, -1, 10);
    }

    private Issued issued(String cn, KeyPurposeId usage, String dnsName, int fromDays, int toDays) {
        KeyPair keys = rsa();
        return new Issued(keys, issue(cn, keys, caKeys, usage, dnsName, false, fromDays, toDays));
    }

    private X509Certificate issue(
            String cn,
            KeyPair subject,
            KeyPair issuer,
            KeyPurposeId usage,
            String dnsName,
            boolean isCa,
            int fromDays,
            int toDays) {
        try {
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder b =
                    new JcaX509v3CertificateBuilder(
                            isCa
                                    ? new X500Name(cn)
                                    : X500Name.getInstance(
                                            ca.getSubjectX500Principal().getEncoded()),
                            BigInteger.valueOf(SERIAL.incrementAndGet()),
                            Date.from(now.plus(Duration.ofDays(fromDays)).minusSeconds(3600)),
                            Date.from(now.plus(Duration.ofDays(toDays))),
                            new X500Name(cn),
                            subject.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
            if (usage != null) {
                b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(usage));
            }
            if (dnsName != null) {
                b.addExtension(
                        Extension.subjectAlternativeName,
                        false,
                        new GeneralNames(new GeneralName(GeneralName.dNSName, dnsName)));
            }
            return new JcaX509CertificateConverter()
                    .getCertificate(
                            b.build(
                                    new JcaContentSignerBuilder("SHA256withRSA")
                                            .build(issuer.getPrivate())));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static KeyPair rsa() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

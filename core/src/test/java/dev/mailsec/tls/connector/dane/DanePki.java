package dev.mailsec.tls.connector.dane;

import dev.mailsec.shaded.bc.asn1.x500.X500Name;
import dev.mailsec.shaded.bc.asn1.x509.BasicConstraints;
import dev.mailsec.shaded.bc.asn1.x509.Extension;
import dev.mailsec.shaded.bc.asn1.x509.GeneralName;
import dev.mailsec.shaded.bc.asn1.x509.GeneralNames;
import dev.mailsec.shaded.bc.cert.jcajce.JcaX509CertificateConverter;
import dev.mailsec.shaded.bc.cert.jcajce.JcaX509v3CertificateBuilder;
import dev.mailsec.shaded.bc.operator.jcajce.JcaContentSignerBuilder;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Certificates for the DANE tests, made with Bouncy Castle: a private root and intermediate CA
 * (nobody's trust store holds them), and server certificates they issue or that sign themselves.
 */
public final class DanePki {

    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    public final KeyPair rootKeys = ec();
    public final X509Certificate root =
            issue("CN=DANE test root", rootKeys, null, null, true, -1, 30);
    public final KeyPair intermediateKeys = ec();
    public final X509Certificate intermediate =
            issue("CN=DANE test intermediate", intermediateKeys, root, rootKeys, true, -1, 30);

    /** A key pair and its certificate. */
    public static final class Issued {
        public final KeyPair keys;
        public final X509Certificate certificate;

        Issued(KeyPair keys, X509Certificate certificate) {
            this.keys = keys;
            this.certificate = certificate;
        }
    }

    /** A server certificate for {@code dnsName}, issued by the intermediate, valid now. */
    public Issued server(String dnsName) {
        return server(dnsName, -1, 10);
    }

    /** As {@link #server(String)}, valid from and to the given days from now. */
    public Issued server(String dnsName, int fromDays, int toDays) {
        KeyPair keys = ec();
        return new Issued(
                keys,
                issue(
                        "CN=" + dnsName,
                        keys,
                        intermediate,
                        intermediateKeys,
                        false,
                        fromDays,
                        toDays,
                        dnsName));
    }

    /** A self-signed server certificate, as DANE-EE(3) users often publish. */
    public static Issued selfSigned(String dnsName) {
        KeyPair keys = ec();
        return new Issued(keys, issue("CN=" + dnsName, keys, null, null, false, -1, 10, dnsName));
    }

    private static X509Certificate issue(
            String cn,
            KeyPair subject,
            X509Certificate issuer,
            KeyPair issuerKeys,
            boolean isCa,
            int fromDays,
            int toDays,
            String... dnsNames) {
        try {
            Instant now = Instant.now();
            X500Name subjectName = new X500Name(cn);
            JcaX509v3CertificateBuilder b =
                    new JcaX509v3CertificateBuilder(
                            issuer == null
                                    ? subjectName
                                    : X500Name.getInstance(
                                            issuer.getSubjectX500Principal().getEncoded()),
                            BigInteger.valueOf(SERIAL.incrementAndGet()),
                            Date.from(now.plus(Duration.ofDays(fromDays))),
                            Date.from(now.plus(Duration.ofDays(toDays))),
                            subjectName,
                            subject.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
            if (dnsNames.length > 0) {
                GeneralName[] names = new GeneralName[dnsNames.length];
                for (int i = 0; i < dnsNames.length; i++) {
                    names[i] = new GeneralName(GeneralName.dNSName, dnsNames[i]);
                }
                b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
            }
            KeyPair signer = issuerKeys == null ? subject : issuerKeys;
            return new JcaX509CertificateConverter()
                    .getCertificate(
                            b.build(
                                    new JcaContentSignerBuilder("SHA256withECDSA")
                                            .build(signer.getPrivate())));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair ec() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

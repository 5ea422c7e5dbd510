package dev.mailsec.smime;

import dev.mailsec.shaded.bc.asn1.x500.X500Name;
import dev.mailsec.shaded.bc.asn1.x509.AccessDescription;
import dev.mailsec.shaded.bc.asn1.x509.AuthorityInformationAccess;
import dev.mailsec.shaded.bc.asn1.x509.BasicConstraints;
import dev.mailsec.shaded.bc.asn1.x509.CRLDistPoint;
import dev.mailsec.shaded.bc.asn1.x509.CRLReason;
import dev.mailsec.shaded.bc.asn1.x509.DistributionPoint;
import dev.mailsec.shaded.bc.asn1.x509.DistributionPointName;
import dev.mailsec.shaded.bc.asn1.x509.ExtendedKeyUsage;
import dev.mailsec.shaded.bc.asn1.x509.Extension;
import dev.mailsec.shaded.bc.asn1.x509.GeneralName;
import dev.mailsec.shaded.bc.asn1.x509.GeneralNames;
import dev.mailsec.shaded.bc.asn1.x509.KeyPurposeId;
import dev.mailsec.shaded.bc.asn1.x509.KeyUsage;
import dev.mailsec.shaded.bc.cert.X509CRLHolder;
import dev.mailsec.shaded.bc.cert.X509v2CRLBuilder;
import dev.mailsec.shaded.bc.cert.jcajce.JcaX509CRLConverter;
import dev.mailsec.shaded.bc.cert.jcajce.JcaX509ExtensionUtils;
import dev.mailsec.shaded.bc.cert.jcajce.JcaX509v3CertificateBuilder;
import dev.mailsec.shaded.bc.operator.jcajce.JcaContentSignerBuilder;
import dev.mailsec.testsupport.TestCertificates;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;

/** A throw-away CA made at test time: nothing secret is committed. */
public final class SmimeTestPki {

    public final KeyPair caKeys;
    public final X509Certificate ca;
    public final String crlUrl;

    public SmimeTestPki(String name, String crlUrl) {
        this.caKeys = rsa();
        this.crlUrl = crlUrl;
        try {
            X500Name subject = new X500Name("CN=" + name + ",O=mailsec test");
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder b =
                    TestCertificates.start(
                            null,
                            subject,
                            caKeys.getPublic(),
                            now.minus(Duration.ofDays(1)),
                            now.plus(Duration.ofDays(30)));
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            b.addExtension(
                    Extension.keyUsage,
                    true,
                    new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            b.addExtension(
                    Extension.subjectKeyIdentifier,
                    false,
                    ext.createSubjectKeyIdentifier(caKeys.getPublic()));
            ca = TestCertificates.sign(b, "SHA256withRSA", caKeys.getPrivate());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public SmimeTestPki(String name) {
        this(name, null);
    }

    public static KeyPair rsa() {
        return TestCertificates.rsa();
    }

    public static KeyPair ec() {
        return TestCertificates.ec();
    }

    /** Options for an end-entity certificate. */
    public static final class Spec {
        public Instant notBefore = Instant.now().minus(Duration.ofHours(1));
        public Instant notAfter = Instant.now().plus(Duration.ofDays(10));
        public int keyUsage = -1;
        public boolean emailProtection = true;
        public boolean ec;

        /** An OCSP responder for the Authority Information Access extension, or null. */
        public String ocspUrl;

        /** Whether to add the PKI's CRL distribution point (when it has one). */
        public boolean crl = true;
    }

    public SmimeKeyPair user(String address) {
        return user(address, new Spec());
    }

    public SmimeKeyPair ecUser(String address) {
        Spec s = new Spec();
        s.ec = true;
        return user(address, s);
    }

    public SmimeKeyPair user(String address, Spec spec) {
        KeyPair keys = spec.ec ? ec() : rsa();
        try {
            JcaX509v3CertificateBuilder b =
                    TestCertificates.start(
                            ca,
                            new X500Name("CN=" + address + ",O=mailsec test"),
                            keys.getPublic(),
                            spec.notBefore,
                            spec.notAfter);
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            int ku =
                    spec.keyUsage >= 0
                            ? spec.keyUsage
                            : (spec.ec
                                    ? KeyUsage.digitalSignature | KeyUsage.keyAgreement
                                    : KeyUsage.digitalSignature | KeyUsage.keyEncipherment);
            b.addExtension(Extension.keyUsage, true, new KeyUsage(ku));
            // emailProtection=false: a TLS-server-only certificate, which must not be used for mail
            b.addExtension(
                    Extension.extendedKeyUsage,
                    false,
                    new ExtendedKeyUsage(
                            spec.emailProtection
                                    ? KeyPurposeId.id_kp_emailProtection
                                    : KeyPurposeId.id_kp_serverAuth));
            b.addExtension(
                    Extension.subjectAlternativeName,
                    false,
                    new GeneralNames(new GeneralName(GeneralName.rfc822Name, address)));
            b.addExtension(
                    Extension.subjectKeyIdentifier,
                    false,
                    ext.createSubjectKeyIdentifier(keys.getPublic()));
            b.addExtension(
                    Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(ca));
            if (spec.ocspUrl != null) {
                b.addExtension(
                        Extension.authorityInfoAccess,
                        false,
                        new AuthorityInformationAccess(
                                AccessDescription.id_ad_ocsp,
                                new GeneralName(
                                        GeneralName.uniformResourceIdentifier, spec.ocspUrl)));
            }
            if (crlUrl != null && spec.crl) {
                // several URLs separated by spaces: names of one distribution point, alternatives
                // for the same CRL
                String[] urls = crlUrl.split(" ");
                GeneralName[] names = new GeneralName[urls.length];
                for (int i = 0; i < urls.length; i++) {
                    names[i] = new GeneralName(GeneralName.uniformResourceIdentifier, urls[i]);
                }
                b.addExtension(
                        Extension.cRLDistributionPoints,
                        false,
                        new CRLDistPoint(
                                new DistributionPoint[] {
                                    new DistributionPoint(
                                            new DistributionPointName(new GeneralNames(names)),
                                            null,
                                            null)
                                }));
            }
            X509Certificate cert = TestCertificates.sign(b, "SHA256withRSA", caKeys.getPrivate());
            return new SmimeKeyPair(
                    address + "#" + cert.getSerialNumber(), keys.getPrivate(), cert, List.of(ca));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public X509CRL crl(X509Certificate... revoked) {
        try {
            X509v2CRLBuilder b =
                    new X509v2CRLBuilder(
                            X500Name.getInstance(ca.getSubjectX500Principal().getEncoded()),
                            Date.from(Instant.now().minus(Duration.ofMinutes(5))));
            b.setNextUpdate(Date.from(Instant.now().plus(Duration.ofDays(1))));
            for (X509Certificate c : revoked) {
                b.addCRLEntry(
                        c.getSerialNumber(),
                        Date.from(Instant.now().minus(Duration.ofMinutes(1))),
                        CRLReason.keyCompromise);
            }
            X509CRLHolder holder =
                    b.build(
                            new JcaContentSignerBuilder("SHA256withRSA")
                                    .build(caKeys.getPrivate()));
            return new JcaX509CRLConverter().getCRL(holder);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static void writePem(Path file, String type, byte[] der) {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.US_ASCII)) {
            w.write("-----BEGIN " + type + "-----\n");
            w.write(Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der));
            w.write("\n-----END " + type + "-----\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void writeCert(Path file, X509Certificate cert) {
        try {
            writePem(file, "CERTIFICATE", cert.getEncoded());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static void writeKey(Path file, SmimeKeyPair pair) {
        writePem(file, "PRIVATE KEY", pair.privateKeyForCryptoOperation().getEncoded());
    }
}

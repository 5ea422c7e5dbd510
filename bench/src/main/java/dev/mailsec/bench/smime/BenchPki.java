package dev.mailsec.bench.smime;

import dev.mailsec.shaded.bc.asn1.x500.X500Name;
import dev.mailsec.shaded.bc.asn1.x509.BasicConstraints;
import dev.mailsec.shaded.bc.asn1.x509.ExtendedKeyUsage;
import dev.mailsec.shaded.bc.asn1.x509.Extension;
import dev.mailsec.shaded.bc.asn1.x509.GeneralName;
import dev.mailsec.shaded.bc.asn1.x509.GeneralNames;
import dev.mailsec.shaded.bc.asn1.x509.KeyPurposeId;
import dev.mailsec.shaded.bc.asn1.x509.KeyUsage;
import dev.mailsec.shaded.bc.cert.jcajce.JcaX509CertificateConverter;
import dev.mailsec.shaded.bc.cert.jcajce.JcaX509v3CertificateBuilder;
import dev.mailsec.shaded.bc.operator.jcajce.JcaContentSignerBuilder;
import dev.mailsec.smime.SmimeKeyPair;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;

/**
 * A throw-away RSA-2048 CA with users alice (signs) and bob (receives), also written as PEM for
 * openssl.
 */
final class BenchPki {

    final X509Certificate ca;
    final SmimeKeyPair alice;
    final SmimeKeyPair bob;
    private final KeyPair caKeys;

    BenchPki() throws Exception {
        caKeys = rsa();
        X500Name name = new X500Name("CN=Bench CA");
        JcaX509v3CertificateBuilder b =
                new JcaX509v3CertificateBuilder(
                        name,
                        BigInteger.ONE,
                        Date.from(Instant.now().minus(Duration.ofDays(1))),
                        Date.from(Instant.now().plus(Duration.ofDays(30))),
                        name,
                        caKeys.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        b.addExtension(
                Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        ca =
                new JcaX509CertificateConverter()
                        .getCertificate(
                                b.build(
                                        new JcaContentSignerBuilder("SHA256withRSA")
                                                .build(caKeys.getPrivate())));
        alice = user("alice@mailsec.test", 2);
        bob = user("bob@example.test", 3);
    }

    private static KeyPair rsa() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return g.generateKeyPair();
    }

    private SmimeKeyPair user(String address, long serial) throws Exception {
        KeyPair keys = rsa();
        JcaX509v3CertificateBuilder b =
                new JcaX509v3CertificateBuilder(
                        X500Name.getInstance(ca.getSubjectX500Principal().getEncoded()),
                        BigInteger.valueOf(serial),
                        Date.from(Instant.now().minus(Duration.ofDays(1))),
                        Date.from(Instant.now().plus(Duration.ofDays(30))),
                        new X500Name("CN=" + address),
                        keys.getPublic());
        b.addExtension(
                Extension.keyUsage,
                true,
                new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
        b.addExtension(
                Extension.extendedKeyUsage,
                false,
                new ExtendedKeyUsage(KeyPurposeId.id_kp_emailProtection));
        b.addExtension(
                Extension.subjectAlternativeName,
                false,
                new GeneralNames(new GeneralName(GeneralName.rfc822Name, address)));
        X509Certificate cert =
                new JcaX509CertificateConverter()
                        .getCertificate(
                                b.build(
                                        new JcaContentSignerBuilder("SHA256withRSA")
                                                .build(caKeys.getPrivate())));
        return new SmimeKeyPair(address, keys.getPrivate(), cert, List.of(ca));
    }

    /** Writes ca.pem, alice.key/.crt and bob.key/.crt into {@code dir}. */
    void writePem(Path dir) throws Exception {
        pem(dir.resolve("ca.pem"), "CERTIFICATE", ca.getEncoded());
        pem(dir.resolve("alice.crt"), "CERTIFICATE", alice.certificate().getEncoded());
        pem(
                dir.resolve("alice.key"),
                "PRIVATE KEY",
                alice.privateKeyForCryptoOperation().getEncoded());
        pem(dir.resolve("bob.crt"), "CERTIFICATE", bob.certificate().getEncoded());
        pem(dir.resolve("bob.key"), "PRIVATE KEY", bob.privateKeyForCryptoOperation().getEncoded());
    }

    private static void pem(Path file, String type, byte[] der) throws IOException {
        Files.writeString(
                file,
                "-----BEGIN "
                        + type
                        + "-----\n"
                        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                        + "\n-----END "
                        + type
                        + "-----\n",
                StandardCharsets.US_ASCII);
    }
}

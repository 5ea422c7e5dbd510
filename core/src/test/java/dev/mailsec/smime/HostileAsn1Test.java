package dev.mailsec.smime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsec.shaded.bc.asn1.x500.X500Name;
import dev.mailsec.shaded.bc.asn1.x509.Extension;
import dev.mailsec.shaded.bc.cert.jcajce.JcaX509CertificateConverter;
import dev.mailsec.shaded.bc.cert.jcajce.JcaX509v3CertificateBuilder;
import dev.mailsec.shaded.bc.operator.jcajce.JcaContentSignerBuilder;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, finding 1: ASN.1 built to exhaust the parser (nesting 20,000 deep, lengths of 2 GB)
 * gets a verdict from the engine, not a {@code StackOverflowError} or an {@code OutOfMemoryError}.
 */
class HostileAsn1Test {

    static final byte[] ENVELOPED_DATA = {
        0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x07, 0x03
    };
    static final byte[] AUTH_ENVELOPED_DATA = {
        0x06,
        0x0b,
        0x2a,
        (byte) 0x86,
        0x48,
        (byte) 0x86,
        (byte) 0xf7,
        0x0d,
        0x01,
        0x09,
        0x10,
        0x01,
        0x17
    };
    static final byte[] SIGNED_DATA = {
        0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x07, 0x02
    };

    static SmimeTestPki pki;
    static SmimeKeyPair bob;
    static SmimeVerifier verifier;

    @BeforeAll
    static void setUp() {
        pki = new SmimeTestPki("Hostile CA");
        bob = pki.user("bob@example.test");
        verifier = new SmimeVerifier(TrustAnchors.of(List.of(pki.ca)), null, Clock.systemUTC());
    }

    /**
     * The attack's signature: {@code 30 80} repeated (an indefinite-length SEQUENCE in each, never
     * closed).
     */
    public static byte[] nested(int times) {
        byte[] b = new byte[times * 2];
        for (int i = 0; i < b.length; i += 2) {
            b[i] = 0x30;
            b[i + 1] = (byte) 0x80;
        }
        return b;
    }

    /** A ContentInfo of {@code type} whose [0] content is {@code inner}, all indefinite-length. */
    static byte[] contentInfo(byte[] type, byte[] inner) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x30);
        out.write(0x80);
        out.writeBytes(type);
        out.write(0xa0);
        out.write(0x80);
        out.writeBytes(inner);
        return out.toByteArray();
    }

    /**
     * An (auth)EnvelopedData whose recipientInfos SET holds {@code inner}: the parser loads that
     * SET whole.
     */
    static byte[] envelope(byte[] inner) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {0x30, (byte) 0x80, 0x02, 0x01, 0x00, 0x31, (byte) 0x80});
        out.writeBytes(inner);
        return out.toByteArray();
    }

    static String base64(byte[] der) {
        return Base64.getMimeEncoder(76, "\r\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der);
    }

    public static byte[] detachedSigned(byte[] signature) {
        return ("From: alice@example.test\r\nTo: bob@example.test\r\nSubject: hostile\r\nMIME-Version: 1.0\r\n"
                        + "Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\"; micalg=sha-256; boundary=\"b\"\r\n\r\n"
                        + "--b\r\nContent-Type: text/plain\r\n\r\nhello\r\n"
                        + "--b\r\nContent-Type: application/pkcs7-signature; name=smime.p7s\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                        + base64(signature)
                        + "\r\n--b--\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] pkcs7Mime(String smimeType, byte[] der) {
        return ("From: alice@example.test\r\nTo: bob@example.test\r\nSubject: hostile\r\nMIME-Version: 1.0\r\n"
                        + "Content-Type: application/pkcs7-mime; smime-type="
                        + smimeType
                        + "; name=smime.p7m\r\n"
                        + "Content-Transfer-Encoding: base64\r\n\r\n"
                        + base64(der)
                        + "\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    static SmimeException decryptFailure(byte[] message) {
        Throwable t =
                Assertions.catchThrowable(
                        () ->
                                new SmimeDecryptor()
                                        .decrypt(
                                                new ByteArrayInputStream(message),
                                                new ByteArrayOutputStream(),
                                                List.of(bob)));
        assertThat(t).isInstanceOf(SmimeException.class);
        return (SmimeException) t;
    }

    @Test
    void verifyShouldGivePermerrorForADetachedSignatureNested20000Deep() throws Exception {
        SmimeVerification v = verifier.verify(detachedSigned(nested(20000)), null);
        assertThat(v.result()).isEqualTo(SmimeResult.PERMERROR);
        assertThat(v.reason())
                .isEqualTo(
                        "signature refused: ASN.1 input refused at byte 130: nested deeper than 64 levels");
    }

    @Test
    void verifyShouldGivePermerrorForAnOpaqueSignatureNested20000Deep() throws Exception {
        SmimeVerification v =
                verifier.verify(
                        pkcs7Mime("signed-data", contentInfo(SIGNED_DATA, nested(20000))), null);
        assertThat(v.result()).isEqualTo(SmimeResult.PERMERROR);
        assertThat(v.reason()).contains("nested deeper than 64 levels");
    }

    @Test
    void verifyShouldGivePermerrorForAHugeDeclaredLength() throws Exception {
        byte[] huge = {0x30, (byte) 0x84, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xf0, 0x06, 0x09};
        SmimeVerification v = verifier.verify(detachedSigned(huge), null);
        assertThat(v.result()).isEqualTo(SmimeResult.PERMERROR);
        assertThat(v.reason()).contains("declared length beyond the 8-byte input");
    }

    @Test
    void decryptShouldSayCorruptForEnvelopedDataNested20000Deep() {
        SmimeException e =
                decryptFailure(
                        pkcs7Mime(
                                "enveloped-data",
                                contentInfo(ENVELOPED_DATA, envelope(nested(20000)))));
        assertThat(e.reason()).isEqualTo(SmimeException.Reason.CORRUPT);
        assertThat(e.getMessage()).contains("nested deeper than 64 levels");
    }

    @Test
    void decryptShouldSayCorruptForAuthEnvelopedDataNested20000Deep() {
        SmimeException e =
                decryptFailure(
                        pkcs7Mime(
                                "authEnveloped-data",
                                contentInfo(AUTH_ENVELOPED_DATA, envelope(nested(20000)))));
        assertThat(e.reason()).isEqualTo(SmimeException.Reason.CORRUPT);
        assertThat(e.getMessage()).contains("nested deeper than 64 levels");
    }

    @Test
    void decryptShouldSayCorruptForTheAttacksBareNesting() {
        SmimeException e = decryptFailure(pkcs7Mime("enveloped-data", nested(20000)));
        assertThat(e.reason()).isEqualTo(SmimeException.Reason.CORRUPT);
        assertThat(e.getMessage()).contains("nested deeper than 64 levels");
    }

    @Test
    void decryptShouldSayCorruptForAHugeDeclaredLengthWithoutAllocatingIt() {
        // an enveloped-data ContentInfo whose version INTEGER claims 2 GB: a parser that believes
        // it allocates 2 GB
        byte[] der =
                contentInfo(
                        ENVELOPED_DATA,
                        new byte[] {
                            0x30,
                            (byte) 0x80,
                            0x02,
                            (byte) 0x84,
                            0x7f,
                            (byte) 0xff,
                            (byte) 0xff,
                            (byte) 0xf0,
                            0x00
                        });
        SmimeException e = decryptFailure(pkcs7Mime("enveloped-data", der));
        assertThat(e.reason()).isEqualTo(SmimeException.Reason.CORRUPT);
        assertThat(e.getMessage()).contains("declared length beyond");
    }

    /** A DER element: {@code tag}, definite length (long form), {@code content}. */
    static byte[] der(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        out.write(0x83);
        out.write(content.length >> 16);
        out.write(content.length >> 8);
        out.write(content.length);
        out.writeBytes(content);
        return out.toByteArray();
    }

    /**
     * A certificate from the trusted CA whose CRL distribution point names an otherName holding
     * SEQUENCEs nested 15,000 deep with definite lengths: the JDK keeps an otherName's value as
     * bytes, Bouncy Castle parsed it by recursion when revocation checking read the extension.
     */
    static X509Certificate certificateWithDeepDistributionPoint() throws Exception {
        byte[] deep = {0x05, 0x00};
        for (int i = 0; i < 15000; i++) {
            deep = der(0x30, deep);
        }
        byte[] otherName =
                der(
                        0xa0,
                        TestMessages.concat(
                                new byte[] {0x06, 0x03, 0x2a, 0x03, 0x04}, der(0xa0, deep)));
        byte[] points = der(0x30, der(0x30, der(0xa0, der(0xa0, otherName))));
        KeyPair keys = SmimeTestPki.rsa();
        JcaX509v3CertificateBuilder b =
                new JcaX509v3CertificateBuilder(
                        X500Name.getInstance(pki.ca.getSubjectX500Principal().getEncoded()),
                        BigInteger.TEN,
                        new Date(System.currentTimeMillis() - 3_600_000),
                        new Date(System.currentTimeMillis() + 3_600_000),
                        new X500Name("CN=mallory"),
                        keys.getPublic());
        b.addExtension(Extension.cRLDistributionPoints, false, points);
        return new JcaX509CertificateConverter()
                .getCertificate(
                        b.build(
                                new JcaContentSignerBuilder("SHA256withRSA")
                                        .build(pki.caKeys.getPrivate())));
    }

    @Test
    void aDistributionPointNested15000DeepNamesNoDistributionPoint() throws Exception {
        assertThat(RevocationPointers.distributionPoints(certificateWithDeepDistributionPoint()))
                .isEmpty();
    }

    @Test
    void anEnvelopeWeMakeStillOpens() throws Exception {
        byte[] encrypted =
                SmimeDecryptorTest.encrypt(
                        TestMessages.withAttachment(), ContentEncryption.AES256_GCM, bob);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new SmimeDecryptor().decrypt(new ByteArrayInputStream(encrypted), out, List.of(bob));
        assertThat(out.toByteArray()).isEqualTo(TestMessages.withAttachment());
    }
}

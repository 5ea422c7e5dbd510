package dev.mailsec.smime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsec.shaded.bc.asn1.x509.KeyUsage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SmimeVerifierTest {

    @TempDir static Path dir;

    static SmimeTestPki pki;
    static SmimeKeyPair alice;
    static SmimeVerifier verifier;

    @BeforeAll
    static void setUp() {
        pki = new SmimeTestPki("Verify CA");
        alice = pki.user("alice@example.test");
        verifier = new SmimeVerifier(TrustAnchors.of(List.of(pki.ca)), null, Clock.systemUTC());
    }

    static byte[] sign(byte[] message, SmimeKeyPair key, SigningMode mode, SignatureAlgorithm alg)
            throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new SmimeSigner(mode, alg).sign(new ByteArrayInputStream(message), out, key);
        return out.toByteArray();
    }

    @ParameterizedTest
    @EnumSource(SignatureAlgorithm.class)
    void verifyShouldPassWhatWeSignDetached(SignatureAlgorithm alg) throws Exception {
        SmimeKeyPair key =
                alg.name().startsWith("ECDSA") ? pki.ecUser("alice@example.test") : alice;
        SmimeVerification v =
                verifier.verify(
                        new ByteArrayInputStream(
                                sign(
                                        TestMessages.withAttachment(),
                                        key,
                                        SigningMode.DETACHED,
                                        alg)));
        assertThat(v.result()).as(v.reason()).isEqualTo(SmimeResult.PASS);
        assertThat(v.signerAddresses()).containsExactly("alice@example.test");
        assertThat(v.capabilities()).contains(new PeerCapabilities(true, true));
        assertThat(v.authenticationResultsEntry())
                .startsWith(
                        "smime=pass body.smime-identifier=alice@example.test body.smime-serial=");
    }

    @Test
    void verifyShouldPassOpaqueAndUnwrapTheEntityByteForByte() throws Exception {
        byte[] signed =
                sign(
                        TestMessages.withAttachment(),
                        alice,
                        SigningMode.OPAQUE,
                        SignatureAlgorithm.RSA_SHA256);
        ByteArrayOutputStream unwrapped = new ByteArrayOutputStream();
        SmimeVerification v = verifier.verify(signed, unwrapped);
        assertThat(v.result()).isEqualTo(SmimeResult.PASS);
        assertThat(unwrapped.toByteArray()).isEqualTo(TestMessages.withAttachment());
    }

    @Test
    void verifyShouldUnwrapDetachedToTheOriginalMessage() throws Exception {
        byte[] signed = sign(TestMessages.withAttachment(), alice, SigningMode.DETACHED, null);
        ByteArrayOutputStream unwrapped = new ByteArrayOutputStream();
        assertThat(verifier.verify(signed, unwrapped).result()).isEqualTo(SmimeResult.PASS);
        assertThat(unwrapped.toByteArray()).isEqualTo(TestMessages.withAttachment());
    }

    @Test
    void verifyShouldFailWhenTheSignedContentIsAltered() throws Exception {
        String signed =
                new String(
                        sign(TestMessages.simple(), alice, SigningMode.DETACHED, null),
                        StandardCharsets.ISO_8859_1);
        String tampered = signed.replace("see you tomorrow", "see you at noon!");
        assertThat(tampered).isNotEqualTo(signed);
        SmimeVerification v =
                verifier.verify(
                        new ByteArrayInputStream(tampered.getBytes(StandardCharsets.ISO_8859_1)));
        assertThat(v.result()).isEqualTo(SmimeResult.FAIL);
        assertThat(v.reason()).contains("digest mismatch");
    }

    @Test
    void verifyShouldStillPassWhenTheStoreTurnedCrlfIntoLf() throws Exception {
        String signed =
                new String(
                        sign(TestMessages.simple(), alice, SigningMode.DETACHED, null),
                        StandardCharsets.ISO_8859_1);
        byte[] lf = signed.replace("\r\n", "\n").getBytes(StandardCharsets.ISO_8859_1);
        assertThat(verifier.verify(new ByteArrayInputStream(lf)).result())
                .isEqualTo(SmimeResult.PASS);
    }

    @Test
    void verifyShouldFailForAnUntrustedSigner() throws Exception {
        SmimeTestPki other = new SmimeTestPki("Other CA");
        SmimeKeyPair mallory = other.user("alice@example.test");
        SmimeVerification v =
                verifier.verify(
                        new ByteArrayInputStream(
                                sign(TestMessages.simple(), mallory, SigningMode.DETACHED, null)));
        assertThat(v.result()).isEqualTo(SmimeResult.FAIL);
        assertThat(v.reason()).isEqualTo("no chain to a trusted anchor");
    }

    @Test
    void verifyShouldReportPolicyWhenTheSignerIsNotTheFromAddress() throws Exception {
        SmimeKeyPair carol = pki.user("carol@example.test");
        SmimeVerification v =
                verifier.verify(
                        new ByteArrayInputStream(
                                sign(TestMessages.simple(), carol, SigningMode.DETACHED, null)));
        assertThat(v.result()).isEqualTo(SmimeResult.POLICY);
        assertThat(v.reason()).contains("carol@example.test").contains("alice@example.test");
    }

    @Test
    void verifyShouldFailForAnExpiredCertificate() throws Exception {
        SmimeTestPki.Spec spec = new SmimeTestPki.Spec();
        spec.notBefore = Instant.now().minus(Duration.ofDays(20));
        spec.notAfter = Instant.now().minus(Duration.ofDays(1));
        SmimeKeyPair expired = pki.user("alice@example.test", spec);
        SmimeVerification v =
                verifier.verify(
                        new ByteArrayInputStream(
                                sign(TestMessages.simple(), expired, SigningMode.DETACHED, null)));
        assertThat(v.result()).isEqualTo(SmimeResult.FAIL);
        assertThat(v.reason()).isEqualTo("certificate expired");
    }

    @Test
    void verifyShouldFailForACertificateNotMeantForEmail() throws Exception {
        SmimeTestPki.Spec spec = new SmimeTestPki.Spec();
        spec.keyUsage = KeyUsage.keyEncipherment;
        SmimeKeyPair encryptOnly = pki.user("alice@example.test", spec);
        SmimeVerification v =
                verifier.verify(
                        new ByteArrayInputStream(
                                sign(
                                        TestMessages.simple(),
                                        encryptOnly,
                                        SigningMode.DETACHED,
                                        null)));
        assertThat(v.result()).isEqualTo(SmimeResult.FAIL);
        assertThat(v.reason()).contains("key usage");
    }

    @Test
    void verifyShouldFailForARevokedCertificateAndPassForAGoodOne() throws Exception {
        Path crlFile = dir.resolve("ca.crl");
        SmimeTestPki withCrl = new SmimeTestPki("CRL CA", crlFile.toUri().toString());
        SmimeKeyPair good = withCrl.user("alice@example.test");
        SmimeKeyPair revoked = withCrl.user("alice@example.test");
        Files.write(crlFile, withCrl.crl(revoked.certificate()).getEncoded());
        SmimeVerifier checking =
                new SmimeVerifier(
                        TrustAnchors.of(List.of(withCrl.ca)),
                        new CachingCrlSource(),
                        Clock.systemUTC());
        SmimeVerification bad =
                checking.verify(
                        new ByteArrayInputStream(
                                sign(TestMessages.simple(), revoked, SigningMode.DETACHED, null)));
        assertThat(bad.result()).isEqualTo(SmimeResult.FAIL);
        assertThat(bad.reason()).isEqualTo("certificate revoked");
        SmimeVerification ok =
                checking.verify(
                        new ByteArrayInputStream(
                                sign(TestMessages.simple(), good, SigningMode.DETACHED, null)));
        assertThat(ok.result()).as(ok.reason()).isEqualTo(SmimeResult.PASS);
    }

    @Test
    void verifyShouldReportTemperrorWhenTheCrlCannotBeFetched() throws Exception {
        SmimeTestPki withCrl =
                new SmimeTestPki(
                        "Unreachable CRL CA", dir.resolve("missing.crl").toUri().toString());
        SmimeKeyPair key = withCrl.user("alice@example.test");
        SmimeVerifier checking =
                new SmimeVerifier(
                        TrustAnchors.of(List.of(withCrl.ca)),
                        new CachingCrlSource(),
                        Clock.systemUTC());
        SmimeVerification v =
                checking.verify(
                        new ByteArrayInputStream(
                                sign(TestMessages.simple(), key, SigningMode.DETACHED, null)));
        assertThat(v.result()).isEqualTo(SmimeResult.TEMPERROR);
        assertThat(v.reason()).startsWith("CRL unavailable");
    }

    @Test
    void verifyShouldSayNoneForAnUnsignedMessage() throws Exception {
        assertThat(verifier.verify(new ByteArrayInputStream(TestMessages.simple())).result())
                .isEqualTo(SmimeResult.NONE);
    }

    @Test
    void verifyShouldGivePermerrorForGarbageNotAnException() throws Exception {
        String garbage =
                "From: a@example.test\r\nContent-Type: multipart/signed; protocol=\"application/pkcs7-signature\"; boundary=x\r\n\r\n"
                        + "--x\r\nContent-Type: text/plain\r\n\r\nhi\r\n--x\r\nContent-Type: application/pkcs7-signature\r\n"
                        + "Content-Transfer-Encoding: base64\r\n\r\nTm90IGEgc2lnbmF0dXJl\r\n--x--\r\n";
        SmimeVerification v =
                verifier.verify(
                        new ByteArrayInputStream(garbage.getBytes(StandardCharsets.US_ASCII)));
        assertThat(v.result()).isEqualTo(SmimeResult.PERMERROR);
        String opaque =
                "From: a@example.test\r\nContent-Type: application/pkcs7-mime; smime-type=signed-data\r\n"
                        + "Content-Transfer-Encoding: base64\r\n\r\n!!!!\r\n";
        assertThat(
                        verifier.verify(
                                        new ByteArrayInputStream(
                                                opaque.getBytes(StandardCharsets.US_ASCII)))
                                .result())
                .isEqualTo(SmimeResult.PERMERROR);
        String oneLine = "no header block at all";
        assertThat(
                        verifier.verify(
                                        new ByteArrayInputStream(
                                                oneLine.getBytes(StandardCharsets.US_ASCII)))
                                .result())
                .isIn(SmimeResult.PERMERROR, SmimeResult.NONE);
        assertThat(Set.of(SmimeResult.values())).hasSize(7);
    }

    /**
     * Found by SmimeVerifierFuzzTest: a constructed BIT STRING holding a primitive one without
     * content octets made the relocated Bouncy Castle parser throw IllegalStateException out of
     * verify().
     */
    @Test
    void verifyShouldGivePermerrorForABitStringWithoutContentOctets() throws Exception {
        // SEQUENCE (indefinite) { BIT STRING, constructed, indefinite { BIT STRING, primitive,
        // length 0 } }
        byte[] der = {0x30, (byte) 0x80, 0x23, (byte) 0x80, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00};
        String opaque =
                "From: a@example.test\r\nContent-Type: application/pkcs7-mime; smime-type=signed-data\r\n"
                        + "Content-Transfer-Encoding: base64\r\n\r\n"
                        + Base64.getEncoder().encodeToString(der)
                        + "\r\n";
        SmimeVerification v =
                verifier.verify(
                        new ByteArrayInputStream(opaque.getBytes(StandardCharsets.US_ASCII)));
        assertThat(v.result()).isEqualTo(SmimeResult.PERMERROR);
        assertThat(v.toString()).contains("malformed signature");
    }

    /**
     * Found by SmimeVerifierFuzzTest: Bouncy Castle parses SignerInfos lazily, so a signer whose
     * issuer is not a Name threw IllegalArgumentException from judging the signature, outside the
     * parse's catch.
     */
    @Test
    void verifyShouldGivePermerrorForASignerInfoThatDoesNotParse() throws Exception {
        byte[] message;
        try (InputStream in =
                getClass()
                        .getResourceAsStream(
                                "SmimeVerifierFuzzTestInputs/verify/signer-issuer-not-a-name-illegal-argument")) {
            message = in.readAllBytes();
        }
        assertThat(verifier.verify(new ByteArrayInputStream(message)).result())
                .isEqualTo(SmimeResult.PERMERROR);
    }
}

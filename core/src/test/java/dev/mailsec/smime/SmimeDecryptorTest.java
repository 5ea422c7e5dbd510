package dev.mailsec.smime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.interfaces.RSAPrivateCrtKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SmimeDecryptorTest {

    static SmimeTestPki pki;
    static SmimeKeyPair bobOld;
    static SmimeKeyPair bobNew;

    @BeforeAll
    static void setUp() {
        pki = new SmimeTestPki("Decrypt CA");
        bobOld = pki.user("bob@example.test");
        bobNew = pki.user("bob@example.test");
    }

    static byte[] encrypt(byte[] message, ContentEncryption enc, SmimeKeyPair... to)
            throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<EncryptionRecipient> recipients = new ArrayList<>();
        for (SmimeKeyPair k : to) {
            recipients.add(EncryptionRecipient.of(k.certificate(), KeyTransport.RSA_OAEP));
        }
        new SmimeEncryptor().encrypt(new ByteArrayInputStream(message), out, recipients, enc);
        return out.toByteArray();
    }

    @ParameterizedTest
    @EnumSource(ContentEncryption.class)
    void decryptShouldRestoreTheMessageByteForByteWithAnArchivedKey(ContentEncryption enc)
            throws Exception {
        byte[] encrypted = encrypt(TestMessages.withAttachment(), enc, bobOld);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DecryptionResult result =
                new SmimeDecryptor()
                        .decrypt(new ByteArrayInputStream(encrypted), out, List.of(bobNew, bobOld));
        assertThat(out.toByteArray()).isEqualTo(TestMessages.withAttachment());
        assertThat(result.keyId()).isEqualTo(bobOld.id());
        assertThat(result.contentAlgorithm()).isEqualTo(enc.configName());
        assertThat(result.authenticated()).isEqualTo(enc.isAuthenticated());
        assertThat(result.summary())
                .isEqualTo(
                        "key="
                                + bobOld.id()
                                + " content="
                                + enc.configName()
                                + " transport=rsa-oaep");
    }

    @Test
    void encryptShouldAddAMimeVersionAndKeepOuterFieldsInClear() throws Exception {
        byte[] noMimeVersion =
                "From: a@example.test\r\nSubject: hi\r\n\r\nbody\r\n"
                        .getBytes(StandardCharsets.US_ASCII);
        String encrypted =
                new String(
                        encrypt(noMimeVersion, ContentEncryption.AES256_CBC, bobNew),
                        StandardCharsets.US_ASCII);
        assertThat(encrypted)
                .startsWith(
                        "From: a@example.test\r\nSubject: hi\r\nMIME-Version: 1.0\r\n"
                                + "Content-Type: application/pkcs7-mime; smime-type=enveloped-data; name=\"smime.p7m\"\r\n")
                .doesNotContain("body");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new SmimeDecryptor()
                .decrypt(
                        new ByteArrayInputStream(encrypted.getBytes(StandardCharsets.US_ASCII)),
                        out,
                        List.of(bobNew));
        assertThat(out.toString(StandardCharsets.US_ASCII))
                .isEqualTo(
                        "From: a@example.test\r\nSubject: hi\r\nMIME-Version: 1.0\r\n\r\nbody\r\n");
    }

    @Test
    void decryptShouldSayNoMatchingKeyForSomeoneElsesMessage() throws Exception {
        byte[] encrypted =
                encrypt(
                        TestMessages.simple(),
                        ContentEncryption.AES256_GCM,
                        pki.user("carol@example.test"));
        assertThatThrownBy(
                        () ->
                                new SmimeDecryptor()
                                        .decrypt(
                                                new ByteArrayInputStream(encrypted),
                                                new ByteArrayOutputStream(),
                                                List.of(bobNew, bobOld)))
                .isInstanceOf(SmimeException.class)
                .satisfies(
                        e ->
                                assertThat(((SmimeException) e).reason())
                                        .isEqualTo(SmimeException.Reason.NO_MATCHING_KEY));
    }

    @Test
    void decryptShouldReportCorruptWhenAGcmCiphertextIsAltered() throws Exception {
        byte[] encrypted =
                encrypt(TestMessages.ofSize(20000), ContentEncryption.AES256_GCM, bobNew);
        byte[] tampered = flipInsideCiphertext(encrypted);
        assertThatThrownBy(
                        () ->
                                new SmimeDecryptor()
                                        .decrypt(
                                                new ByteArrayInputStream(tampered),
                                                new ByteArrayOutputStream(),
                                                List.of(bobNew)))
                .isInstanceOf(SmimeException.class)
                .satisfies(
                        e ->
                                assertThat(((SmimeException) e).reason())
                                        .isEqualTo(SmimeException.Reason.CORRUPT));
    }

    @Test
    void decryptShouldReportCorruptForATruncatedEnvelope() throws Exception {
        String encrypted =
                new String(
                        encrypt(TestMessages.simple(), ContentEncryption.AES256_CBC, bobNew),
                        StandardCharsets.US_ASCII);
        String truncated = encrypted.substring(0, encrypted.length() / 2 + 300);
        assertThatThrownBy(
                        () ->
                                new SmimeDecryptor()
                                        .decrypt(
                                                new ByteArrayInputStream(
                                                        truncated.getBytes(
                                                                StandardCharsets.US_ASCII)),
                                                new ByteArrayOutputStream(),
                                                List.of(bobNew)))
                .isInstanceOf(SmimeException.class)
                .satisfies(
                        e ->
                                assertThat(((SmimeException) e).reason())
                                        .isEqualTo(SmimeException.Reason.CORRUPT));
    }

    @Test
    void decryptShouldRefuseAPlainMessage() {
        assertThatThrownBy(
                        () ->
                                new SmimeDecryptor()
                                        .decrypt(
                                                new ByteArrayInputStream(TestMessages.simple()),
                                                new ByteArrayOutputStream(),
                                                List.of(bobNew)))
                .isInstanceOf(SmimeException.class)
                .satisfies(
                        e ->
                                assertThat(((SmimeException) e).reason())
                                        .isEqualTo(SmimeException.Reason.NOT_SMIME));
    }

    @Test
    void keyPairToStringShouldNotRevealTheKey() {
        String text =
                bobNew.toString()
                        + new DecryptionResult(bobNew.id(), "aes256-gcm", "rsa-oaep", true);
        byte[] encoded = bobNew.privateKeyForCryptoOperation().getEncoded();
        RSAPrivateCrtKey rsa = (RSAPrivateCrtKey) bobNew.privateKeyForCryptoOperation();
        assertThat(text)
                .doesNotContain(Base64.getEncoder().encodeToString(encoded).substring(40, 80))
                .doesNotContain(rsa.getPrivateExponent().toString(16).substring(0, 32))
                .doesNotContain(rsa.getPrimeP().toString().substring(0, 32))
                .doesNotContain(rsa.getPrivateExponent().toString().substring(0, 32))
                .contains("bob@example.test");
    }

    /**
     * Flips one byte in the middle of the base64 body (inside the ciphertext of a large message).
     */
    private static byte[] flipInsideCiphertext(byte[] message) {
        String text = new String(message, StandardCharsets.US_ASCII);
        int body = text.indexOf("\r\n\r\n") + 4;
        String b64 = text.substring(body);
        byte[] der = Base64.getMimeDecoder().decode(b64);
        der[der.length / 2] ^= 0x01;
        return (text.substring(0, body) + Base64.getMimeEncoder().encodeToString(der) + "\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Found by SmimeDecryptorFuzzTest: base64 the decoder refuses (here a single sextet before the
     * padding) came out as a bare IOException, which DecryptSmime reports as IO_ERROR; it is a
     * broken envelope.
     */
    @Test
    void decryptShouldReportCorruptForInvalidBase64() {
        String message =
                "From: a@example.test\r\nContent-Type: application/pkcs7-mime; smime-type=enveloped-data\r\n"
                        + "Content-Transfer-Encoding: base64\r\n\r\nMIAGCSqGSIb3DQEHA6CA\r\nQ===\r\n";
        assertThatThrownBy(
                        () ->
                                new SmimeDecryptor()
                                        .decrypt(
                                                new ByteArrayInputStream(
                                                        message.getBytes(
                                                                StandardCharsets.US_ASCII)),
                                                new ByteArrayOutputStream(),
                                                List.of(bobNew)))
                .isInstanceOf(SmimeException.class)
                .satisfies(
                        e ->
                                assertThat(((SmimeException) e).reason())
                                        .isEqualTo(SmimeException.Reason.CORRUPT));
    }

    /**
     * Found by SmimeDecryptorFuzzTest: an enveloped-data message without a body threw
     * NullPointerException.
     */
    @Test
    void decryptShouldReportCorruptForAnEmptyEnvelope() {
        String message =
                "From: a@example.test\r\nContent-Type: application/pkcs7-mime; smime-type=enveloped-data\r\n"
                        + "Content-Transfer-Encoding: base64\r\n\r\n";
        assertThatThrownBy(
                        () ->
                                new SmimeDecryptor()
                                        .decrypt(
                                                new ByteArrayInputStream(
                                                        message.getBytes(
                                                                StandardCharsets.US_ASCII)),
                                                new ByteArrayOutputStream(),
                                                List.of(bobNew)))
                .isInstanceOf(SmimeException.class)
                .satisfies(
                        e ->
                                assertThat(((SmimeException) e).reason())
                                        .isEqualTo(SmimeException.Reason.CORRUPT));
    }

    /**
     * Found by SmimeDecryptorFuzzTest: an ASN.1 length over 31 bits made Bouncy Castle throw a
     * plain IOException, which DecryptSmime reported as IO_ERROR; only the caller's own streams'
     * faults are I/O errors.
     */
    @Test
    void decryptShouldReportCorruptForALengthBeyond31Bits() {
        String message =
                "From: a@example.test\r\nContent-Type: application/pkcs7-mime; smime-type=enveloped-data\r\n"
                        + "Content-Transfer-Encoding: base64\r\n\r\nMIUBAAAAAA==\r\n";
        assertThatThrownBy(
                        () ->
                                new SmimeDecryptor()
                                        .decrypt(
                                                new ByteArrayInputStream(
                                                        message.getBytes(
                                                                StandardCharsets.US_ASCII)),
                                                new ByteArrayOutputStream(),
                                                List.of(bobNew)))
                .isInstanceOf(SmimeException.class)
                .satisfies(
                        e ->
                                assertThat(((SmimeException) e).reason())
                                        .isEqualTo(SmimeException.Reason.CORRUPT));
    }

    @Test
    void decryptShouldPassOnAFaultOfTheOutputStream() throws Exception {
        byte[] encrypted = encrypt(TestMessages.simple(), ContentEncryption.AES256_GCM, bobNew);
        OutputStream broken =
                new OutputStream() {
                    @Override
                    public void write(int b) throws IOException {
                        throw new IOException("disk full");
                    }
                };
        assertThatThrownBy(
                        () ->
                                new SmimeDecryptor()
                                        .decrypt(
                                                new ByteArrayInputStream(encrypted),
                                                broken,
                                                List.of(bobNew)))
                .isExactlyInstanceOf(IOException.class)
                .hasMessage("disk full");
    }
}

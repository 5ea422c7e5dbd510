package dev.mailsec.smime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 8-bit parts become quoted-printable / base64 before signing, so the signature survives 7-bit
 * relays; checked with openssl cms.
 */
class SevenBitSigningTest {

    @TempDir static Path dir;

    static SmimeTestPki pki;
    static SmimeKeyPair alice;

    static final String OUTER =
            "From: alice@example.test\r\nTo: bob@example.test\r\nSubject: 8-bit\r\nMIME-Version: 1.0\r\n";

    static final byte[] BINARY = new byte[300];

    static {
        for (int i = 0; i < BINARY.length; i++) {
            BINARY[i] = (byte) (i * 7 + 128); // high bytes, NUL; no line that could look like a
            // delimiter
        }
    }

    @BeforeAll
    static void setUp() {
        pki = new SmimeTestPki("7bit CA");
        alice = pki.user("alice@example.test");
        SmimeTestPki.writeCert(dir.resolve("ca.pem"), pki.ca);
    }

    static byte[] multipart() {
        ByteArrayOutputStream m = new ByteArrayOutputStream();
        m.writeBytes(
                (OUTER
                                + "Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\npreamble\r\n"
                                + "--b1\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
        m.writeBytes(
                "Grüße = greetings, trailing space \r\nline two\r\n"
                        .getBytes(StandardCharsets.UTF_8));
        m.writeBytes(
                ("--b1\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: binary\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
        m.writeBytes(BINARY);
        m.writeBytes(
                ("\r\n--b1\r\nContent-Type: text/plain\r\n\r\nplain ascii stays as it is\r\n"
                                + "--b1--\r\nepilogue\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
        return m.toByteArray();
    }

    static final String EXPECTED_ENTITY =
            "Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\npreamble\r\n"
                    + "--b1\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
                    + "Gr=C3=BC=C3=9Fe =3D greetings, trailing space=20\r\nline two\r\n"
                    + "--b1\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                    + Base64.getMimeEncoder(76, new byte[] {'\r', '\n'}).encodeToString(BINARY)
                    + "\r\n"
                    + "\r\n--b1\r\nContent-Type: text/plain\r\n\r\nplain ascii stays as it is\r\n"
                    + "--b1--\r\nepilogue\r\n";

    @Test
    void eightBitPartsAreReencodedAndOpensslVerifiesTheSignature() throws Exception {
        byte[] signed = sign(multipart(), true);
        for (byte b : signed) {
            assertThat(b).as("signed message is 7-bit").isBetween((byte) 1, (byte) 127);
        }
        assertThat(new String(signedEntity(signed), StandardCharsets.US_ASCII))
                .isEqualTo(EXPECTED_ENTITY);
        SmimeVerification ours =
                new SmimeVerifier(TrustAnchors.of(List.of(pki.ca)), null, Clock.systemUTC())
                        .verify(new ByteArrayInputStream(signed));
        assertThat(ours.result()).as(ours.reason()).isEqualTo(SmimeResult.PASS);
    }

    @Test
    void aSinglePartEightBitTextBecomesQuotedPrintableWithLongLinesSoftBroken() throws Exception {
        String line = "é".repeat(40); // 80 UTF-8 bytes, 240 characters once encoded
        byte[] message =
                (OUTER
                                + "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
                                + line
                                + "\n")
                        .getBytes(StandardCharsets.UTF_8);
        byte[] signed = sign(message, true);
        String entity = new String(signedEntity(signed), StandardCharsets.US_ASCII);
        assertThat(entity)
                .startsWith(
                        "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n");
        String body = entity.substring(entity.indexOf("\r\n\r\n") + 4);
        for (String l : body.split("\r\n")) {
            assertThat(l.length()).isLessThanOrEqualTo(76);
        }
        assertThat(new String(decodeQuotedPrintable(body), StandardCharsets.UTF_8))
                .isEqualTo(line + "\r\n");
    }

    @Test
    void aForwardedMessageWithAnEightBitBodyIsConvertedInsideAndDeclaredSevenBit()
            throws Exception {
        ByteArrayOutputStream m = new ByteArrayOutputStream();
        m.writeBytes(
                (OUTER
                                + "Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n"
                                + "--b1\r\nContent-Type: text/plain\r\n\r\nsee the forwarded message\r\n"
                                + "--b1\r\nContent-Type: message/rfc822\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
                                + "From: carol@example.test\r\nSubject: original\r\nMIME-Version: 1.0\r\n"
                                + "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
        m.writeBytes("Grüße aus Köln\r\n".getBytes(StandardCharsets.UTF_8));
        m.writeBytes("--b1--\r\n".getBytes(StandardCharsets.US_ASCII));
        byte[] signed = sign(m.toByteArray(), true);
        for (byte b : signed) {
            assertThat(b).as("signed message is 7-bit").isBetween((byte) 1, (byte) 127);
        }
        assertThat(new String(signedEntity(signed), StandardCharsets.US_ASCII))
                .contains(
                        "--b1\r\nContent-Type: message/rfc822\r\nContent-Transfer-Encoding: 7bit\r\n\r\n"
                                + "From: carol@example.test\r\nSubject: original\r\nMIME-Version: 1.0\r\n"
                                + "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
                                + "Gr=C3=BC=C3=9Fe aus K=C3=B6ln\r\n--b1--\r\n");
    }

    @Test
    void aForwardedMessageWithEightBitHeaderFieldsStaysEightBit() throws Exception {
        ByteArrayOutputStream m = new ByteArrayOutputStream();
        m.writeBytes(
                (OUTER + "Content-Type: message/rfc822\r\nContent-Transfer-Encoding: 8bit\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
        m.writeBytes(
                "From: carol@example.test\r\nSubject: Grüße\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nÄrger\r\n"
                        .getBytes(StandardCharsets.UTF_8));
        String entity =
                new String(signedEntity(sign(m.toByteArray(), true)), StandardCharsets.ISO_8859_1);
        // the body is made 7-bit; the raw 8-bit Subject stays, so the part keeps saying 8bit
        assertThat(entity)
                .startsWith(
                        "Content-Type: message/rfc822\r\nContent-Transfer-Encoding: 8bit\r\n\r\n")
                .contains("Content-Transfer-Encoding: quoted-printable\r\n\r\n=C3=84rger\r\n");
    }

    /**
     * The entity a detached signature covers, as {@code openssl cms -verify} hands it out once the
     * signature checks.
     */
    private static byte[] signedEntity(byte[] signed) throws Exception {
        Path in = Files.write(dir.resolve("signed-entity.eml"), signed);
        Path content = dir.resolve("content-entity");
        Openssl.ok(
                dir,
                "openssl",
                "cms",
                "-verify",
                "-in",
                in.toString(),
                "-CAfile",
                "ca.pem",
                "-purpose",
                "smimesign",
                "-out",
                content.toString());
        return Files.readAllBytes(content);
    }

    @Test
    void withoutConversionTheEightBitBytesAreSignedAsTheyAre() throws Exception {
        byte[] signed = sign(multipart(), false);
        assertThat(new String(signed, StandardCharsets.ISO_8859_1))
                .contains("Content-Transfer-Encoding: 8bit")
                .contains(
                        new String(
                                "Grüße".getBytes(StandardCharsets.UTF_8),
                                StandardCharsets.ISO_8859_1));
    }

    @Test
    void sevenBitMessagesAreSignedByteForByte() throws Exception {
        ByteArrayOutputStream converted = new ByteArrayOutputStream();
        ByteArrayOutputStream kept = new ByteArrayOutputStream();
        byte[] message = TestMessages.withAttachment();
        new SmimeSigner(SigningMode.OPAQUE, null, true)
                .sign(new ByteArrayInputStream(message), converted, alice);
        Path in = Files.write(dir.resolve("signed-7bit.eml"), converted.toByteArray());
        Path content = dir.resolve("content-7bit");
        Openssl.ok(
                dir,
                "openssl",
                "cms",
                "-verify",
                "-binary",
                "-in",
                in.toString(),
                "-CAfile",
                "ca.pem",
                "-purpose",
                "smimesign",
                "-out",
                content.toString());
        assertThat(Files.readAllBytes(content)).isEqualTo(TestMessages.attachmentEntity());
    }

    private static byte[] sign(byte[] message, boolean sevenBit) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new SmimeSigner(SigningMode.DETACHED, null, sevenBit)
                .sign(new ByteArrayInputStream(message), out, alice);
        return out.toByteArray();
    }

    private static byte[] decodeQuotedPrintable(String body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String joined = body.replace("=\r\n", "");
        for (int i = 0; i < joined.length(); i++) {
            char c = joined.charAt(i);
            if (c == '=') {
                out.write(Integer.parseInt(joined.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                out.write(c);
            }
        }
        return out.toByteArray();
    }
}

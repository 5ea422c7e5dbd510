package dev.mailsec.cli.smime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, finding 1: {@code smime verify} and {@code smime decrypt} of a structure nested 20,000
 * deep ({@code 30 80} repeated) answer a verdict and exit 1; {@code verify} used to die of a
 * StackOverflowError.
 */
class SmimeHostileInputCommandTest {

    @TempDir static Path dir;

    @BeforeAll
    static void files() throws Exception {
        Process p =
                new ProcessBuilder(
                                "sh",
                                "-c",
                                "openssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem -subj /CN=bob -days 2"
                                        + " -addext subjectAltName=email:bob@example.test -out cert.pem")
                        .directory(dir.toFile())
                        .redirectErrorStream(true)
                        .start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor()).isZero();
        String head =
                "From: mallory@example.test\r\nTo: bob@example.test\r\nSubject: hostile\r\nMIME-Version: 1.0\r\n";
        Files.writeString(
                dir.resolve("signed.eml"),
                head
                        + "Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\"; micalg=sha-256; boundary=\"b\"\r\n\r\n"
                        + "--b\r\nContent-Type: text/plain\r\n\r\nhello\r\n"
                        + "--b\r\nContent-Type: application/pkcs7-signature; name=smime.p7s\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                        + base64(nested(20000))
                        + "\r\n--b--\r\n",
                StandardCharsets.US_ASCII);
        byte[] envelope = {
            0x30,
            (byte) 0x80,
            0x06,
            0x09,
            0x2a,
            (byte) 0x86,
            0x48,
            (byte) 0x86,
            (byte) 0xf7,
            0x0d,
            0x01,
            0x07,
            0x03,
            (byte) 0xa0,
            (byte) 0x80,
            0x30,
            (byte) 0x80,
            0x02,
            0x01,
            0x00,
            0x31,
            (byte) 0x80
        };
        byte[] der = new byte[envelope.length + 40000];
        System.arraycopy(envelope, 0, der, 0, envelope.length);
        System.arraycopy(nested(20000), 0, der, envelope.length, 40000);
        Files.writeString(
                dir.resolve("enveloped.eml"),
                head
                        + "Content-Type: application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m\r\n"
                        + "Content-Transfer-Encoding: base64\r\n\r\n"
                        + base64(der)
                        + "\r\n",
                StandardCharsets.US_ASCII);
    }

    static byte[] nested(int times) {
        byte[] b = new byte[times * 2];
        for (int i = 0; i < b.length; i += 2) {
            b[i] = 0x30;
            b[i + 1] = (byte) 0x80;
        }
        return b;
    }

    static String base64(byte[] der) {
        return Base64.getMimeEncoder(76, "\r\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der);
    }

    @Test
    void verifyShouldAnswerPermerrorAndExitOneForASignatureNested20000Deep() {
        SmimeCommandTest.Run r =
                SmimeCommandTest.run(
                        "verify",
                        dir.resolve("signed.eml").toString(),
                        "--cert",
                        dir.resolve("cert.pem").toString());
        assertThat(r.exit).isEqualTo(1);
        assertThat(r.out.trim())
                .isEqualTo(
                        "smime=permerror (signature refused: ASN.1 input refused at byte 130: nested deeper than 64 levels)");
    }

    @Test
    void decryptShouldAnswerCorruptAndExitOneForAnEnvelopeNested20000Deep() {
        SmimeCommandTest.Run r =
                SmimeCommandTest.run(
                        "decrypt",
                        dir.resolve("enveloped.eml").toString(),
                        "--key",
                        dir.resolve("key.pem").toString(),
                        "--cert",
                        dir.resolve("cert.pem").toString());
        assertThat(r.exit).isEqualTo(1);
        assertThat(r.err)
                .startsWith(
                        "cannot decrypt (CORRUPT): envelope refused: ASN.1 input refused at byte")
                .contains("nested deeper than 64 levels");
        assertThat(r.stdout).isEmpty();
    }
}

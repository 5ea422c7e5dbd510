package dev.mailsec.it.smime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsec.it.harness.Delivery;
import dev.mailsec.it.harness.JamesExtension;
import dev.mailsec.smime.SmimeKeyPair;
import dev.mailsec.smime.SmimeTestPki;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Comparator;
import java.util.stream.Stream;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeUtility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 13, finding 1, against a real James 3.8.1 with the inbound S/MIME pipeline of
 * docs/smime.md: signatures and envelopes nested 20,000 deep ({@code 30 80} repeated, ~55 KB) used
 * to throw {@code StackOverflowError} in Bouncy Castle inside {@code VerifySmime} and {@code
 * DecryptSmime}; each one killed a spooler thread, and mail accepted afterwards was never
 * delivered. Now each gets a verdict and goes where the pipeline sends it, and the mail after them
 * is delivered.
 */
class SmimeHostileInputEndToEndTest {

    static final Path ROOT = tempDirectory();
    static final SmimeTestPki PKI = new SmimeTestPki("Hostile E2E CA");
    static final SmimeKeyPair DAVE = PKI.user("dave@mailsec.test");
    static final int HOSTILE = 25;

    @RegisterExtension
    static JamesExtension james =
            JamesExtension.builder()
                    .user("dave@mailsec.test", "secret")
                    .rootMailets(
                            ""
                                    + "<mailet match=\"dev.mailsec.matchers.smime.IsSmimeSigned\" class=\"dev.mailsec.mailets.smime.VerifySmime\">\n"
                                    + "  <trustAnchors>"
                                    + write("ca.pem", PKI.ca)
                                    + "</trustAnchors>\n"
                                    + "  <checkRevocation>false</checkRevocation>\n"
                                    + "  <authservId>mx.mailsec.test</authservId>\n"
                                    + "</mailet>\n"
                                    + "<mailet match=\"dev.mailsec.matchers.smime.SmimeResultIs=fail,permerror\" class=\"ToProcessor\">\n"
                                    + "  <processor>smime-quarantine</processor>\n"
                                    + "</mailet>\n"
                                    + "<mailet match=\"dev.mailsec.matchers.smime.IsSmimeEncrypted\" class=\"dev.mailsec.mailets.smime.DecryptSmime\">\n"
                                    + "  <keyFolder>"
                                    + keyFolder()
                                    + "</keyFolder>\n"
                                    + "  <processor>smime-undecryptable</processor>\n"
                                    + "</mailet>\n")
                    .extraProcessors(
                            ""
                                    // in production these keep the mail for an operator; here they
                                    // mark it and deliver it, so IMAP shows the route
                                    + "<processor state=\"smime-quarantine\" enableJmx=\"false\">\n"
                                    + "  <mailet match=\"All\" class=\"SetMimeHeader\"><name>X-Route</name><value>smime-quarantine</value></mailet>\n"
                                    + "  <mailet match=\"All\" class=\"ToProcessor\"><processor>transport</processor></mailet>\n"
                                    + "</processor>\n"
                                    + "<processor state=\"smime-undecryptable\" enableJmx=\"false\">\n"
                                    + "  <mailet match=\"All\" class=\"SetMimeHeader\"><name>X-Route</name><value>smime-undecryptable</value></mailet>\n"
                                    + "  <mailet match=\"All\" class=\"ToProcessor\"><processor>transport</processor></mailet>\n"
                                    + "</processor>\n")
                    .build();

    @AfterAll
    static void cleanUp() throws IOException {
        try (Stream<Path> files = Files.walk(ROOT)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void deeplyNestedSignaturesAndEnvelopesGetAVerdictAndTheMailAfterThemIsDelivered()
            throws Exception {
        for (int i = 0; i < HOSTILE; i++) {
            james.sendRaw(hostile(i), "dave@mailsec.test");
        }
        james.send(
                Delivery.plain()
                        .from("alice@client.test")
                        .to("dave@mailsec.test")
                        .subject("after the attack")
                        .body("still here"));

        MimeMessage after = james.awaitMessage("dave@mailsec.test", "secret", "after the attack");
        assertThat(after.getContent().toString()).contains("still here");
        for (int i = 0; i < HOSTILE; i++) {
            MimeMessage m = james.awaitMessage("dave@mailsec.test", "secret", "hostile " + i);
            if (i % 3 == 2) {
                assertThat(m.getHeader("X-Route"))
                        .as("hostile %d", i)
                        .containsExactly("smime-undecryptable");
            } else {
                assertThat(m.getHeader("X-Route"))
                        .as("hostile %d", i)
                        .containsExactly("smime-quarantine");
                assertThat(MimeUtility.unfold(m.getHeader("Authentication-Results")[0]))
                        .as("hostile %d", i)
                        .startsWith("mx.mailsec.test; smime=permerror")
                        .contains("nested deeper than 64 levels");
            }
        }
    }

    /**
     * Detached signature, opaque signed-data and enveloped-data in turn, each nested 20,000 deep.
     */
    static byte[] hostile(int i) {
        String head =
                "From: mallory@client.test\r\nTo: dave@mailsec.test\r\nSubject: hostile "
                        + i
                        + "\r\nMIME-Version: 1.0\r\n";
        String message;
        switch (i % 3) {
            case 0:
                message =
                        head
                                + "Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\"; micalg=sha-256; boundary=\"b\"\r\n\r\n"
                                + "--b\r\nContent-Type: text/plain\r\n\r\nhello\r\n"
                                + "--b\r\nContent-Type: application/pkcs7-signature; name=smime.p7s\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                                + base64(nested(20000))
                                + "\r\n--b--\r\n";
                break;
            case 1:
                message =
                        head
                                + "Content-Type: application/pkcs7-mime; smime-type=signed-data; name=smime.p7m\r\n"
                                + "Content-Transfer-Encoding: base64\r\n\r\n"
                                + base64(
                                        concat(
                                                new byte[] {
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
                                                    0x02,
                                                    (byte) 0xa0,
                                                    (byte) 0x80
                                                },
                                                nested(20000)))
                                + "\r\n";
                break;
            default:
                // ContentInfo(envelopedData, EnvelopedData { version 0, recipientInfos SET {
                // nesting } }): the parser loads the SET whole
                message =
                        head
                                + "Content-Type: application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m\r\n"
                                + "Content-Transfer-Encoding: base64\r\n\r\n"
                                + base64(
                                        concat(
                                                new byte[] {
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
                                                },
                                                nested(20000)))
                                + "\r\n";
                break;
        }
        return message.getBytes(StandardCharsets.US_ASCII);
    }

    /** {@code 30 80} repeated: an indefinite-length SEQUENCE in each, never closed. */
    static byte[] nested(int times) {
        byte[] b = new byte[times * 2];
        for (int i = 0; i < b.length; i += 2) {
            b[i] = 0x30;
            b[i + 1] = (byte) 0x80;
        }
        return b;
    }

    static byte[] concat(byte[] a, byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(a);
        out.writeBytes(b);
        return out.toByteArray();
    }

    static String base64(byte[] der) {
        return Base64.getMimeEncoder(76, "\r\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der);
    }

    static Path tempDirectory() {
        try {
            return Files.createTempDirectory("smime-hostile");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path write(String name, X509Certificate cert) {
        Path file = ROOT.resolve(name);
        SmimeTestPki.writeCert(file, cert);
        return file;
    }

    static Path keyFolder() {
        try {
            Path keys = Files.createDirectories(ROOT.resolve("keys"));
            SmimeTestPki.writeKey(keys.resolve("dave.key"), DAVE);
            SmimeTestPki.writeCert(keys.resolve("dave.crt"), DAVE.certificate());
            return keys;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

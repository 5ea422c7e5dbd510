package dev.mailsec.it.smime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsec.it.harness.Delivery;
import dev.mailsec.it.harness.JamesExtension;
import dev.mailsec.smime.ContentEncryption;
import dev.mailsec.smime.EncryptionRecipient;
import dev.mailsec.smime.KeyTransport;
import dev.mailsec.smime.SigningMode;
import dev.mailsec.smime.SmimeDecryptor;
import dev.mailsec.smime.SmimeEncryptor;
import dev.mailsec.smime.SmimeKeyPair;
import dev.mailsec.smime.SmimeSigner;
import dev.mailsec.smime.SmimeTestPki;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeUtility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * S/MIME through a real James 3.8.1: the sample gateway pipeline verifies inbound signatures,
 * decrypts inbound mail for users whose keys the gateway holds, and encrypts mail for recipients
 * with a certificate; a recipient without one goes to the policy's processor.
 */
class SmimeEndToEndTest {

    static final Fixture FIX = Fixture.create();

    @RegisterExtension
    static JamesExtension james =
            JamesExtension.builder()
                    .user("alice@mailsec.test", "secret")
                    .user("bob@mailsec.test", "secret")
                    .user("carol@mailsec.test", "secret")
                    .user("dave@mailsec.test", "secret")
                    .rootMailets(
                            ""
                                    + "<mailet match=\"dev.mailsec.matchers.smime.IsSmimeSigned\" class=\"dev.mailsec.mailets.smime.VerifySmime\">\n"
                                    + "  <trustAnchors>"
                                    + FIX.ca
                                    + "</trustAnchors>\n"
                                    + "  <checkRevocation>false</checkRevocation>\n"
                                    + "  <authservId>mx.mailsec.test</authservId>\n"
                                    + "</mailet>\n"
                                    + "<mailet match=\"dev.mailsec.matchers.smime.IsSmimeEncrypted\" class=\"dev.mailsec.mailets.smime.DecryptSmime\">\n"
                                    + "  <keyFolder>"
                                    + FIX.keys
                                    + "</keyFolder>\n"
                                    + "  <processor>undecryptable</processor>\n"
                                    + "</mailet>\n"
                                    + "<mailet match=\"RecipientIs=bob@mailsec.test,carol@mailsec.test\" class=\"dev.mailsec.mailets.smime.EncryptSmime\">\n"
                                    + "  <certificateFolder>"
                                    + FIX.certs
                                    + "</certificateFolder>\n"
                                    + "  <trustAnchors>"
                                    + FIX.ca
                                    + "</trustAnchors>\n"
                                    + "  <checkRevocation>false</checkRevocation>\n"
                                    + "  <policy>processor</policy>\n"
                                    + "  <processor>no-certificate</processor>\n"
                                    + "</mailet>\n")
                    .extraProcessors(
                            ""
                                    + "<processor state=\"no-certificate\" enableJmx=\"false\">\n"
                                    + "  <mailet match=\"All\" class=\"SetMimeHeader\"><name>X-Mailsec-Smime</name><value>no-certificate</value></mailet>\n"
                                    + "  <mailet match=\"All\" class=\"ToProcessor\"><processor>transport</processor></mailet>\n"
                                    + "</processor>\n"
                                    + "<processor state=\"undecryptable\" enableJmx=\"false\">\n"
                                    + "  <mailet match=\"All\" class=\"SetMimeHeader\"><name>X-Mailsec-Smime</name><value>undecryptable</value></mailet>\n"
                                    + "  <mailet match=\"All\" class=\"ToProcessor\"><processor>transport</processor></mailet>\n"
                                    + "</processor>\n")
                    .build();

    @AfterAll
    static void cleanUp() throws IOException {
        try (Stream<Path> files = Files.walk(FIX.root)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void mailToARecipientWithACertificateArrivesEncryptedAndOpensToTheOriginal() throws Exception {
        james.send(
                Delivery.plain()
                        .from("alice@mailsec.test")
                        .to("bob@mailsec.test")
                        .subject("for bob")
                        .body("the merger is on"));
        MimeMessage read = james.awaitMessage("bob@mailsec.test", "secret", "for bob");
        assertThat(read.getContentType())
                .startsWith("application/pkcs7-mime")
                .contains("enveloped-data");
        byte[] raw = JamesExtension.bytes(read);
        assertThat(new String(raw, StandardCharsets.ISO_8859_1)).doesNotContain("the merger is on");
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        new SmimeDecryptor().decrypt(new ByteArrayInputStream(raw), plain, List.of(FIX.bob));
        assertThat(plain.toString(StandardCharsets.ISO_8859_1))
                .contains("Subject: for bob")
                .contains("the merger is on");
    }

    @Test
    void aRecipientWithoutACertificateIsRoutedByThePolicy() throws Exception {
        james.send(
                Delivery.plain()
                        .from("alice@mailsec.test")
                        .to("carol@mailsec.test")
                        .subject("for carol")
                        .body("hello carol"));
        MimeMessage read = james.awaitMessage("carol@mailsec.test", "secret", "for carol");
        assertThat(read.getHeader("X-Mailsec-Smime")).containsExactly("no-certificate");
    }

    @Test
    void theDecryptingPipelineGivesTheRecipientTheOriginalStructureByteForByte() throws Exception {
        String entity =
                "Content-Type: multipart/mixed; boundary=\"att\"\r\n\r\n"
                        + "--att\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
                        + "Gr=C3=BC=C3=9Fe\r\n--att\r\nContent-Type: application/octet-stream; name=\"data.bin\"\r\n"
                        + "Content-Disposition: attachment; filename=\"data.bin\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                        + "AAECAwQFBgcICQoLDA0ODw==\r\n--att--\r\n";
        byte[] message =
                ("From: alice@mailsec.test\r\nTo: dave@mailsec.test\r\nSubject: for dave\r\nMIME-Version: 1.0\r\n"
                                + entity)
                        .getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream encrypted = new ByteArrayOutputStream();
        new SmimeEncryptor()
                .encrypt(
                        new ByteArrayInputStream(message),
                        encrypted,
                        List.of(
                                EncryptionRecipient.of(
                                        FIX.daveOld.certificate(), KeyTransport.RSA_OAEP)),
                        ContentEncryption.AES256_GCM);
        james.sendRaw(encrypted.toByteArray(), "dave@mailsec.test");
        MimeMessage read = james.awaitMessage("dave@mailsec.test", "secret", "for dave");
        assertThat(read.getHeader("X-Mailsec-Smime")).isNull();
        assertThat(new String(JamesExtension.bytes(read), StandardCharsets.ISO_8859_1))
                .endsWith(entity);
    }

    @Test
    void aTamperedSignedMessageIsReportedAsFailingAndAnIntactOneAsPassing() throws Exception {
        byte[] message =
                ("From: alice@mailsec.test\r\nTo: dave@mailsec.test\r\nSubject: SUBJECT\r\nMIME-Version: 1.0\r\n"
                                + "Content-Type: text/plain; charset=us-ascii\r\n\r\nPay 100 EUR to account 1234.\r\n")
                        .getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream signed = new ByteArrayOutputStream();
        new SmimeSigner(SigningMode.DETACHED, null)
                .sign(new ByteArrayInputStream(message), signed, FIX.alice);
        String text = signed.toString(StandardCharsets.US_ASCII);
        james.sendRaw(
                text.replace("SUBJECT", "intact").getBytes(StandardCharsets.US_ASCII),
                "dave@mailsec.test");
        james.sendRaw(
                text.replace("SUBJECT", "tampered")
                        .replace("100 EUR", "900 EUR")
                        .getBytes(StandardCharsets.US_ASCII),
                "dave@mailsec.test");
        MimeMessage intact = james.awaitMessage("dave@mailsec.test", "secret", "intact");
        MimeMessage tampered = james.awaitMessage("dave@mailsec.test", "secret", "tampered");
        assertThat(MimeUtility.unfold(intact.getHeader("Authentication-Results")[0]))
                .startsWith("mx.mailsec.test; smime=pass body.smime-identifier=alice@mailsec.test");
        assertThat(MimeUtility.unfold(tampered.getHeader("Authentication-Results")[0]))
                .startsWith("mx.mailsec.test; smime=fail");
    }

    /** Keys and certificates made for the run, written where the mailets read them. */
    static final class Fixture {
        final Path root;
        final Path keys;
        final Path certs;
        final Path ca;
        final SmimeKeyPair alice;
        final SmimeKeyPair bob;
        final SmimeKeyPair daveOld;

        private Fixture(Path root) throws IOException {
            this.root = root;
            SmimeTestPki pki = new SmimeTestPki("E2E CA");
            alice = pki.user("alice@mailsec.test");
            bob = pki.user("bob@mailsec.test");
            SmimeTestPki.Spec older = new SmimeTestPki.Spec();
            older.notBefore = Instant.now().minus(Duration.ofDays(2));
            daveOld = pki.user("dave@mailsec.test", older);
            SmimeKeyPair daveNew = pki.user("dave@mailsec.test");
            keys = Files.createDirectory(root.resolve("keys"));
            certs = Files.createDirectory(root.resolve("certs"));
            ca = root.resolve("ca.pem");
            SmimeTestPki.writeCert(ca, pki.ca);
            SmimeTestPki.writeCert(certs.resolve("bob.pem"), bob.certificate());
            SmimeTestPki.writeKey(keys.resolve("dave-2025.key"), daveOld);
            SmimeTestPki.writeCert(keys.resolve("dave-2025.crt"), daveOld.certificate());
            SmimeTestPki.writeKey(keys.resolve("dave-2026.key"), daveNew);
            SmimeTestPki.writeCert(keys.resolve("dave-2026.crt"), daveNew.certificate());
        }

        static Fixture create() {
            try {
                return new Fixture(Files.createTempDirectory("smime-e2e"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}

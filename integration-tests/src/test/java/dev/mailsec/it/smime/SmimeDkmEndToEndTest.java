package dev.mailsec.it.smime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsec.dkm.Credential;
import dev.mailsec.dkm.IdentityType;
import dev.mailsec.dkm.KeyManager;
import dev.mailsec.dkm.root.FileRootKeys;
import dev.mailsec.dkm.store.FileStorage;
import dev.mailsec.it.harness.JamesExtension;
import dev.mailsec.smime.ContentEncryption;
import dev.mailsec.smime.EncryptionRecipient;
import dev.mailsec.smime.KeyTransport;
import dev.mailsec.smime.SmimeEncryptor;
import dev.mailsec.smime.SmimeKeyPair;
import dev.mailsec.smime.SmimeTestPki;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeUtility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * S/MIME with keys from a real DKM file store through a real James 3.8.1: bob's key pair lives only
 * in DKM ({@code smime/bob@mailsec.test}, group {@code mail}, read by James as {@code
 * james-transport}); his certificate is in the certificate folder. Mail to bob
 * (HasRecipientCertificate) is encrypted by EncryptSmime, then decrypted by DecryptSmime with the
 * key from DKM, and bob reads the original body byte for byte; alice, without a certificate, gets
 * the same mail in clear. After a DKM rollover of bob's key (version 2 added and promoted), mail
 * encrypted to the old certificate still opens with the archived version 1.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SmimeDkmEndToEndTest {

    static final Fixture FIX = Fixture.create();

    static final String BODY =
            "Content-Type: multipart/mixed; boundary=\"att\"\r\n\r\n"
                    + "--att\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
                    + "Gr=C3=BC=C3=9Fe, the merger is on\r\n--att\r\nContent-Type: application/octet-stream; name=\"data.bin\"\r\n"
                    + "Content-Disposition: attachment; filename=\"data.bin\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                    + "AAECAwQFBgcICQoLDA0ODw==\r\n--att--\r\n";

    @RegisterExtension
    static JamesExtension james =
            JamesExtension.builder()
                    .user("alice@mailsec.test", "secret")
                    .user("bob@mailsec.test", "secret")
                    .rootMailets(
                            ""
                                    + "<mailet match=\"dev.mailsec.matchers.smime.HasRecipientCertificate="
                                    + FIX.certs
                                    + "\" "
                                    + "class=\"dev.mailsec.mailets.smime.EncryptSmime\">\n"
                                    + "  <certificateFolder>"
                                    + FIX.certs
                                    + "</certificateFolder>\n"
                                    + "  <trustAnchors>"
                                    + FIX.ca
                                    + "</trustAnchors>\n"
                                    + "  <checkRevocation>false</checkRevocation>\n"
                                    + "  <policy>bounce</policy>\n"
                                    + "</mailet>\n"
                                    + "<mailet match=\"dev.mailsec.matchers.smime.IsSmimeEncrypted\" class=\"dev.mailsec.mailets.smime.DecryptSmime\">\n"
                                    + "  <keySource>dkm</keySource>\n"
                                    + "  <dkmConfig>"
                                    + FIX.jamesConfig
                                    + "</dkmConfig>\n"
                                    + "  <processor>undecryptable</processor>\n"
                                    + "  <onKeyStoreFailure>smime-retry</onKeyStoreFailure>\n"
                                    + "</mailet>\n"
                                    + "<mailet match=\"HasMailAttribute=dev.mailsec.smime.decryption\" class=\"MailAttributesToMimeHeaders\">\n"
                                    + "  <simplemapping>dev.mailsec.smime.decryption;X-Test-Decrypted</simplemapping>\n"
                                    + "</mailet>\n")
                    .extraProcessors(
                            ""
                                    // the retry processor of docs/smime.md: back through root every
                                    // second, at most 30 times
                                    + "<processor state=\"smime-retry\" enableJmx=\"false\">\n"
                                    + "  <mailet match=\"All\" class=\"SetMimeHeader\"><name>X-Test-Retried</name><value>yes</value></mailet>\n"
                                    + "  <mailet match=\"AtMost=30\" class=\"Requeue\"><processor>root</processor><delay>1s</delay></mailet>\n"
                                    + "  <mailet match=\"All\" class=\"ToProcessor\"><processor>undecryptable</processor></mailet>\n"
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
    @Order(1)
    void mailToBobIsEncryptedThenDecryptedWithHisKeyFromDkmAndReadsAsTheOriginal()
            throws Exception {
        james.sendRaw(message("to bob, v1"), "bob@mailsec.test");
        MimeMessage read = james.awaitMessage("bob@mailsec.test", "secret", "to bob, v1");
        assertThat(read.getHeader("X-Mailsec-Smime")).isNull();
        assertThat(MimeUtility.unfold(read.getHeader("X-Test-Decrypted")[0]))
                .startsWith("key=smime/bob@mailsec.test v1 ");
        assertThat(new String(JamesExtension.bytes(read), StandardCharsets.ISO_8859_1))
                .endsWith(BODY);
    }

    @Test
    @Order(2)
    void mailToBobAndAliceIsEncryptedForBobOnlyAndAliceWithoutCertificateReadsItInClear()
            throws Exception {
        james.sendRaw(message("to bob and alice"), "bob@mailsec.test", "alice@mailsec.test");
        MimeMessage bob = james.awaitMessage("bob@mailsec.test", "secret", "to bob and alice");
        assertThat(MimeUtility.unfold(bob.getHeader("X-Test-Decrypted")[0]))
                .startsWith("key=smime/bob@mailsec.test v1 ");
        MimeMessage alice = james.awaitMessage("alice@mailsec.test", "secret", "to bob and alice");
        assertThat(alice.getHeader("X-Test-Decrypted")).isNull();
        assertThat(new String(JamesExtension.bytes(alice), StandardCharsets.ISO_8859_1))
                .endsWith(BODY);
    }

    @Test
    @Order(3)
    void afterADkmRolloverMailToTheOldCertificateStillOpensWithTheArchivedVersion()
            throws Exception {
        int v2;
        try (FileStorage storage = FileStorage.open(FIX.root.resolve("data"));
                KeyManager admin =
                        KeyManager.open(
                                storage,
                                new FileRootKeys(FIX.root.resolve("root-keys")),
                                Credential.load(FIX.root.resolve("credentials/admin.cred")),
                                Clock.systemUTC())) {
            v2 =
                    admin.addKeyPairVersion(
                            "smime/bob@mailsec.test",
                            FIX.bobNew.privateKeyForCryptoOperation(),
                            FIX.bobNew.certificate().getPublicKey(),
                            List.of(FIX.bobNew.certificate(), FIX.caCert));
            admin.promote("smime/bob@mailsec.test", v2);
        }
        assertThat(v2).isEqualTo(2);
        // a client that still has bob's old certificate encrypts to it
        james.sendRaw(encrypt(message("to bob's old certificate"), FIX.bobOld), "bob@mailsec.test");
        MimeMessage old =
                james.awaitMessage("bob@mailsec.test", "secret", "to bob's old certificate");
        assertThat(old.getHeader("X-Mailsec-Smime")).isNull();
        assertThat(MimeUtility.unfold(old.getHeader("X-Test-Decrypted")[0]))
                .startsWith("key=smime/bob@mailsec.test v1 ");
        assertThat(new String(JamesExtension.bytes(old), StandardCharsets.ISO_8859_1))
                .endsWith(BODY);
        // and the new certificate opens with the new primary
        james.sendRaw(encrypt(message("to bob's new certificate"), FIX.bobNew), "bob@mailsec.test");
        MimeMessage fresh =
                james.awaitMessage("bob@mailsec.test", "secret", "to bob's new certificate");
        assertThat(MimeUtility.unfold(fresh.getHeader("X-Test-Decrypted")[0]))
                .startsWith("key=smime/bob@mailsec.test v2 ");
        assertThat(new String(JamesExtension.bytes(fresh), StandardCharsets.ISO_8859_1))
                .endsWith(BODY);
    }

    @Test
    @Order(4)
    void mailArrivingWhileDkmIsDownIsRequeuedAndDecryptedOnceDkmIsBack() throws Exception {
        Path data = FIX.root.resolve("data");
        Path away = FIX.root.resolve("data-unmounted");
        Files.move(data, away);
        try {
            james.sendRaw(encrypt(message("while DKM is down"), FIX.bobNew), "bob@mailsec.test");
            // several requeue rounds with the store gone: nothing may reach bob, neither clear nor
            // encrypted
            Thread.sleep(6000);
            assertThat(james.subjects("bob@mailsec.test", "secret"))
                    .doesNotContain("while DKM is down");
        } finally {
            Files.move(away, data);
        }
        MimeMessage back = james.awaitMessage("bob@mailsec.test", "secret", "while DKM is down");
        assertThat(back.getHeader("X-Test-Retried"))
                .as("went through the retry processor (once per round)")
                .isNotEmpty()
                .containsOnly("yes");
        assertThat(back.getHeader("X-Mailsec-Smime")).as("never routed as undecryptable").isNull();
        assertThat(MimeUtility.unfold(back.getHeader("X-Test-Decrypted")[0]))
                .startsWith("key=smime/bob@mailsec.test v2 ");
        assertThat(new String(JamesExtension.bytes(back), StandardCharsets.ISO_8859_1))
                .endsWith(BODY);
    }

    static byte[] message(String subject) {
        return ("From: alice@mailsec.test\r\nTo: bob@mailsec.test\r\nSubject: "
                        + subject
                        + "\r\nMIME-Version: 1.0\r\n"
                        + BODY)
                .getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] encrypt(byte[] message, SmimeKeyPair to) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new SmimeEncryptor()
                .encrypt(
                        new ByteArrayInputStream(message),
                        out,
                        List.of(EncryptionRecipient.of(to.certificate(), KeyTransport.RSA_OAEP)),
                        ContentEncryption.AES256_GCM);
        return out.toByteArray();
    }

    /**
     * A DKM store set up as in docs/smime.md: admin, james-transport in group mail, bob's key pair
     * and certificate chain as {@code smime/bob@mailsec.test}; only bob's certificate is written to
     * a folder.
     */
    static final class Fixture {
        final Path root;
        final Path jamesConfig;
        final Path certs;
        final Path ca;
        final X509Certificate caCert;
        final SmimeKeyPair bobOld;
        final SmimeKeyPair bobNew;

        private Fixture(Path root) throws Exception {
            this.root = root;
            SmimeTestPki pki = new SmimeTestPki("DKM E2E CA");
            caCert = pki.ca;
            bobOld = pki.user("bob@mailsec.test");
            bobNew = pki.user("bob@mailsec.test");
            certs = Files.createDirectory(root.resolve("certs"));
            ca = root.resolve("ca.pem");
            SmimeTestPki.writeCert(ca, pki.ca);
            SmimeTestPki.writeCert(certs.resolve("bob.pem"), bobOld.certificate());
            Path cred = root.resolve("credentials/james-transport.cred");
            try (FileStorage storage = FileStorage.create(root.resolve("data"));
                    KeyManager admin =
                            KeyManager.init(
                                    storage,
                                    new FileRootKeys(root.resolve("root-keys")),
                                    "admin",
                                    root.resolve("credentials/admin.cred"),
                                    Clock.systemUTC())) {
                admin.createIdentity("james-transport", IdentityType.SERVICE, false, cred);
                admin.createGroup("mail");
                admin.addMember("mail", "james-transport");
                admin.putKeyPair(
                        "smime/bob@mailsec.test",
                        "mail",
                        bobOld.privateKeyForCryptoOperation(),
                        bobOld.certificate().getPublicKey(),
                        List.of(bobOld.certificate(), pki.ca));
            }
            // cacheTtl PT0S: the rollover is seen at once (production: minutes)
            jamesConfig =
                    Files.write(
                            root.resolve("dkm.properties"),
                            Arrays.asList(
                                    "store=file:" + root.resolve("data"),
                                    "identity=" + root.resolve("credentials/james-transport.cred"),
                                    "cacheTtl=PT0S"));
        }

        static Fixture create() {
            try {
                return new Fixture(Files.createTempDirectory("mailsec-smime-dkm-it-"));
            } catch (Exception e) {
                throw new IllegalStateException("cannot set up the DKM store", e);
            }
        }
    }
}

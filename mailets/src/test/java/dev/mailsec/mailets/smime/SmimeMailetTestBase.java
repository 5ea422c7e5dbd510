package dev.mailsec.mailets.smime;

import dev.mailsec.smime.CertificateDirectory;
import dev.mailsec.smime.ChainValidator;
import dev.mailsec.smime.FolderCertificateDirectory;
import dev.mailsec.smime.PeerCapabilityCache;
import dev.mailsec.smime.RecipientCertificates;
import dev.mailsec.smime.SmimeKeyPair;
import dev.mailsec.smime.SmimeTestPki;
import dev.mailsec.smime.SmimeVerifier;
import dev.mailsec.smime.TrustAnchors;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.internet.MimeMessage;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailContext;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** The test PKI, key and certificate folders and messages the S/MIME mailet tests share. */
abstract class SmimeMailetTestBase {

    @TempDir static Path dir;

    static SmimeTestPki pki;
    static SmimeKeyPair alice;
    static SmimeKeyPair bobOld;
    static SmimeKeyPair bob;
    static Path keys;
    static Path certs;
    static Path ca;

    @BeforeAll
    static void setUp() throws Exception {
        pki = new SmimeTestPki("Mailets CA");
        alice = pki.user("alice@example.test");
        SmimeTestPki.Spec older = new SmimeTestPki.Spec();
        older.notBefore = Instant.now().minus(Duration.ofDays(3));
        bobOld = pki.user("bob@example.test", older);
        bob = pki.user("bob@example.test");
        keys = Files.createDirectory(dir.resolve("keys"));
        certs = Files.createDirectory(dir.resolve("certs"));
        for (SmimeKeyPair k : List.of(alice, bobOld, bob)) {
            String name = k.id().replace('@', '_').replace('#', '-');
            SmimeTestPki.writeKey(keys.resolve(name + ".key"), k);
            SmimeTestPki.writeCert(keys.resolve(name + ".crt"), k.certificate());
        }
        SmimeTestPki.writeCert(certs.resolve("bob.pem"), bob.certificate());
        SmimeTestPki.writeCert(certs.resolve("alice.pem"), alice.certificate());
        ca = dir.resolve("ca.pem");
        SmimeTestPki.writeCert(ca, pki.ca);
    }

    static FakeMail mail(String... recipients) throws Exception {
        FakeMail.Builder b =
                FakeMail.builder()
                        .name("m1")
                        .mimeMessage(Fixtures.message(Fixtures.MESSAGE))
                        .sender("alice@example.test")
                        .state("root");
        for (String r : recipients) {
            b.recipient(r);
        }
        return b.build();
    }

    static SignSmime signer() throws MessagingException {
        SignSmime m = new SignSmime();
        m.init(
                FakeMailetConfig.builder()
                        .mailetName("SignSmime")
                        .setProperty("keyFolder", keys.toString())
                        .build());
        return m;
    }

    static SmimeVerifier verifier() {
        return new SmimeVerifier(TrustAnchors.of(List.of(pki.ca)), null, Clock.systemUTC());
    }

    static EncryptSmime encryptor(String policy, String processor, PeerCapabilityCache cache)
            throws Exception {
        EncryptSmime m =
                new EncryptSmime(
                        new RecipientCertificates(
                                new FolderCertificateDirectory(certs),
                                new ChainValidator(
                                        TrustAnchors.of(List.of(pki.ca)), null, Clock.systemUTC()),
                                Clock.systemUTC()),
                        cache);
        FakeMailetConfig.Builder c =
                FakeMailetConfig.builder()
                        .mailetName("EncryptSmime")
                        .mailetContext(FakeMailContext.defaultContext())
                        .setProperty("policy", policy);
        if (processor != null) {
            c.setProperty("processor", processor);
        }
        m.init(c.build());
        return m;
    }

    /** Unsaved, as James's message is after a header mailet: writing it calls saveChanges(). */
    static FakeMail hostile(String raw) throws Exception {
        MimeMessage unsaved =
                new MimeMessage(
                        Session.getInstance(new Properties()),
                        new ByteArrayInputStream(raw.getBytes(StandardCharsets.US_ASCII))) {
                    {
                        saved = false;
                    }
                };
        return FakeMail.builder()
                .name("h")
                .mimeMessage(unsaved)
                .sender("alice@example.test")
                .state("root")
                .recipient("bob@example.test")
                .build();
    }

    /** A directory that returns one fixed certificate for everybody. */
    static final class StaticDirectory implements CertificateDirectory {
        private final SmimeKeyPair key;

        StaticDirectory(SmimeKeyPair key) {
            this.key = key;
        }

        @Override
        public List<X509Certificate> lookup(String address) {
            return List.of(key.certificate());
        }
    }
}

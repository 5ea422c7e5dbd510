package dev.mailsec.mailets.smime;

import dev.mailsec.smime.SmimeTestPki;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailsec.config.WorkingDirectory;

import dev.mailsec.smime.ChainValidator;
import dev.mailsec.smime.DecryptionResult;
import dev.mailsec.smime.FolderCertificateDirectory;
import dev.mailsec.smime.PeerCapabilities;
import dev.mailsec.smime.PeerCapabilityCache;
import dev.mailsec.smime.PemSmimeKeySource;
import dev.mailsec.smime.RecipientCertificates;
import dev.mailsec.smime.SmimeDecryptor;
import dev.mailsec.smime.SmimeKeyPair;
import dev.mailsec.smime.SmimeResult;
import dev.mailsec.smime.SmimeVerifier;
import dev.mailsec.smime.TrustAnchors;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Properties;
import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.internet.MimeMessage;
import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailContext;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

class SmimeMailetsTest {

    @TempDir
    static Path dir;

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
        older.notBefore = java.time.Instant.now().minus(java.time.Duration.ofDays(3));
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
        FakeMail.Builder b = FakeMail.builder().name("m1").mimeMessage(Fixtures.message(Fixtures.MESSAGE))
            .sender("alice@example.test").state("root");
        for (String r : recipients) {
            b.recipient(r);
        }
        return b.build();
    }

    static SignSmime signer() throws MessagingException {
        SignSmime m = new SignSmime();
        m.init(FakeMailetConfig.builder().mailetName("SignSmime").setProperty("keyFolder", keys.toString()).build());
        return m;
    }

    static SmimeVerifier verifier() {
        return new SmimeVerifier(TrustAnchors.of(List.of(pki.ca)), null, Clock.systemUTC());
    }

    @Test
    void signSmimeShouldSignWithTheFromAddressKey() throws Exception {
        FakeMail mail = mail("bob@example.test");
        signer().service(mail);
        assertThat(mail.getMessage().getContentType()).startsWith("multipart/signed");
        assertThat(mail.getMessage().getMessageID()).isEqualTo("<m1@example.test>");
        assertThat(verifier().verify(Fixtures.bytes(mail.getMessage()), null).result()).isEqualTo(SmimeResult.PASS);
        assertThat(mail.getAttribute(SignSmime.SIGNED_BY).get().getValue().value()).isEqualTo("alice@example.test");
    }

    @Test
    void signSmimeShouldLeaveMailOfSendersWithoutKeysUnsigned() throws Exception {
        FakeMail mail = FakeMail.builder().name("m2").mimeMessage(Fixtures.message(Fixtures.MESSAGE.replace("alice@", "zoe@")))
            .recipient("bob@example.test").build();
        byte[] before = Fixtures.bytes(mail.getMessage());
        signer().service(mail);
        assertThat(Fixtures.bytes(mail.getMessage())).isEqualTo(before);
    }

    @Test
    void mailetsShouldRejectBadParametersNamingThem() {
        assertThatThrownBy(() -> new SignSmime().init(FakeMailetConfig.builder().setProperty("keyFolder", "/nonexistent").build()))
            .isInstanceOf(MessagingException.class).hasMessageContaining("keyFolder").hasMessageContaining("/nonexistent");
        assertThatThrownBy(() -> new SignSmime().init(FakeMailetConfig.builder().setProperty("keyFolder", keys.toString())
            .setProperty("algorithm", "rsa-md5").build()))
            .isInstanceOf(MessagingException.class).hasMessageContaining("algorithm").hasMessageContaining("rsa-md5");
        assertThatThrownBy(() -> new SignSmime().init(FakeMailetConfig.builder().setProperty("keyFolder", keys.toString())
            .setProperty("keyfolder", "typo").build()))
            .isInstanceOf(MessagingException.class).hasMessageContaining("keyfolder");
        assertThatThrownBy(() -> new EncryptSmime().init(FakeMailetConfig.builder().setProperty("certificateFolder", certs.toString())
            .setProperty("policy", "maybe").build()))
            .isInstanceOf(MessagingException.class).hasMessageContaining("policy").hasMessageContaining("maybe");
        assertThatThrownBy(() -> new EncryptSmime().init(FakeMailetConfig.builder().setProperty("certificateFolder", certs.toString())
            .setProperty("policy", "processor").build()))
            .isInstanceOf(MessagingException.class).hasMessageContaining("processor is required");
        assertThatThrownBy(() -> new EncryptSmime().init(FakeMailetConfig.builder().build()))
            .isInstanceOf(MessagingException.class).hasMessageContaining("certificateFolder or ldapUrl");
        assertThatThrownBy(() -> new EncryptSmime().init(FakeMailetConfig.builder().setProperty("ldapUrl", "ldap://127.0.0.1:1")
            .build())).isInstanceOf(MessagingException.class).hasMessageContaining("ldapBaseDn");
        assertThatThrownBy(() -> new EncryptSmime().init(FakeMailetConfig.builder().setProperty("ldapUrl", "ldap://127.0.0.1:1")
            .setProperty("ldapBaseDn", "dc=x").setProperty("ldapBindDn", "cn=admin").build()))
            .isInstanceOf(MessagingException.class).hasMessageContaining("ldapPassword");
        assertThatThrownBy(() -> new VerifySmime().init(FakeMailetConfig.builder().build()))
            .isInstanceOf(MessagingException.class).hasMessageContaining("trustAnchors");
        assertThatThrownBy(() -> new VerifySmime().init(FakeMailetConfig.builder().setProperty("trustAnchors", ca.toString())
            .setProperty("ocspFailure", "lenient").build()))
            .isInstanceOf(MessagingException.class).hasMessageContaining("ocspFailure").hasMessageContaining("lenient");
        assertThatThrownBy(() -> new VerifySmime().init(FakeMailetConfig.builder().setProperty("trustAnchors", ca.toString())
            .setProperty("ocspTimeout", "600").build()))
            .isInstanceOf(MessagingException.class).hasMessageContaining("ocspTimeout").hasMessageContaining("600");
        assertThatThrownBy(() -> new VerifySmime().init(FakeMailetConfig.builder().setProperty("trustAnchors", ca.toString())
            .setProperty("crlLdapUrl", "http://dc1.example.test").build()))
            .isInstanceOf(MessagingException.class).hasMessageContaining("crlLdapUrl").hasMessageContaining("http://dc1.example.test");
        assertThatThrownBy(() -> new VerifySmime().init(FakeMailetConfig.builder().setProperty("trustAnchors", ca.toString())
            .setProperty("crlLdapUrl", "ldap:///cn=x").build()))
            .isInstanceOf(MessagingException.class).hasMessageContaining("crlLdapUrl").hasMessageContaining("ldap:///cn=x");
        assertThatThrownBy(() -> new DecryptSmime().init(FakeMailetConfig.builder().setProperty("keyFolder", ca.toString()).build()))
            .isInstanceOf(MessagingException.class).hasMessageContaining("keyFolder: not a folder");
    }

    static EncryptSmime encryptor(String policy, String processor, PeerCapabilityCache cache) throws Exception {
        EncryptSmime m = new EncryptSmime(new RecipientCertificates(new FolderCertificateDirectory(certs),
            new ChainValidator(TrustAnchors.of(List.of(pki.ca)), null, Clock.systemUTC()), Clock.systemUTC()), cache);
        FakeMailetConfig.Builder c = FakeMailetConfig.builder().mailetName("EncryptSmime").mailetContext(FakeMailContext.defaultContext())
            .setProperty("policy", policy);
        if (processor != null) {
            c.setProperty("processor", processor);
        }
        m.init(c.build());
        return m;
    }

    @Test
    void encryptSmimeShouldEncryptForRecipientsWithCertificatesAndBounceACopyForTheOthers() throws Exception {
        FakeMailContext context = FakeMailContext.defaultContext();
        EncryptSmime m = new EncryptSmime(new RecipientCertificates(new FolderCertificateDirectory(certs), null, Clock.systemUTC()),
            new PeerCapabilityCache(10));
        m.init(FakeMailetConfig.builder().mailetName("EncryptSmime").mailetContext(context).build());
        FakeMail mail = mail("bob@example.test", "dave@example.test");
        byte[] original = Fixtures.bytes(mail.getMessage());
        m.service(mail);

        assertThat(mail.getRecipients()).containsExactly(new MailAddress("bob@example.test"));
        assertThat(mail.getMessage().getContentType()).contains("smime-type=enveloped-data");
        assertThat(new String(Fixtures.bytes(mail.getMessage()), StandardCharsets.US_ASCII)).doesNotContain("Hello Bob");
        assertThat(mail.getAttribute(EncryptSmime.ENCRYPTION).get().getValue().value()).isEqualTo("aes256-cbc rsa-pkcs1");
        assertThat(context.getBouncedMails()).hasSize(1);
        assertThat(context.getBouncedMails().get(0).getSentMail().getRecipients()).containsExactly(new MailAddress("dave@example.test"));
        assertThat(context.getBouncedMails().get(0).getMessage()).contains("dave@example.test").contains("no usable S/MIME certificate");

        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        DecryptionResult r = new SmimeDecryptor().decrypt(new ByteArrayInputStream(Fixtures.bytes(mail.getMessage())), plain, List.of(bob));
        assertThat(r.keyId()).isEqualTo(bob.id());
        assertThat(plain.toByteArray()).isEqualTo(original);
    }

    @Test
    void encryptSmimeShouldReadItsFoldersRelativeToJamesWorkingDirectoryNotTheCurrentDirectory() throws Exception {
        // issue 14: conf/smime/certs followed the process's current directory; James starts from its home
        // with -Dworking.directory=., and a start from elsewhere must still find the certificates
        WorkingDirectory.with(dir, () -> {
            EncryptSmime m = new EncryptSmime();
            m.init(FakeMailetConfig.builder().mailetName("EncryptSmime").mailetContext(FakeMailContext.defaultContext())
                .setProperty("certificateFolder", "certs").setProperty("trustAnchors", "file://" + dir.relativize(ca)).build());
            FakeMail mail = mail("bob@example.test");
            m.service(mail);
            assertThat(mail.getMessage().getContentType()).contains("smime-type=enveloped-data");
        });
    }

    @Test
    void encryptSmimeShouldUseGcmAndOaepForPeersThatAnnouncedThem() throws Exception {
        PeerCapabilityCache cache = new PeerCapabilityCache(10);
        cache.remember("bob@example.test", new PeerCapabilities(true, true));
        FakeMail mail = mail("bob@example.test");
        encryptor("bounce", null, cache).service(mail);
        assertThat(mail.getMessage().getContentType()).contains("smime-type=authEnveloped-data");
        assertThat(mail.getAttribute(EncryptSmime.ENCRYPTION).get().getValue().value()).isEqualTo("aes256-gcm rsa-oaep");
    }

    @Test
    void encryptSmimeShouldNeverLetAMailWithoutCertificatesOutInClearUnderBounceOrProcessor() throws Exception {
        FakeMail bounced = mail("dave@example.test");
        encryptor("bounce", null, new PeerCapabilityCache(10)).service(bounced);
        assertThat(bounced.getState()).isEqualTo(Mail.GHOST);

        FakeMail routed = mail("dave@example.test");
        byte[] before = Fixtures.bytes(routed.getMessage());
        encryptor("processor", "rights-protection", new PeerCapabilityCache(10)).service(routed);
        assertThat(routed.getState()).isEqualTo("rights-protection");
        assertThat(Fixtures.bytes(routed.getMessage())).isEqualTo(before);

        FakeMail clear = mail("dave@example.test");
        encryptor("clear", null, new PeerCapabilityCache(10)).service(clear);
        assertThat(clear.getState()).isNotEqualTo(Mail.GHOST);
        assertThat(clear.getMessage().getContentType()).startsWith("multipart/mixed");
    }

    @Test
    void encryptSmimeShouldLeaveMailTheSenderAlreadyEncryptedAlone() throws Exception {
        FakeMail mail = mail("bob@example.test");
        encryptor("bounce", null, new PeerCapabilityCache(10)).service(mail);
        byte[] once = Fixtures.bytes(mail.getMessage());
        encryptor("bounce", null, new PeerCapabilityCache(10)).service(mail);
        assertThat(Fixtures.bytes(mail.getMessage())).isEqualTo(once);
    }

    @Test
    void decryptSmimeShouldOpenMailForAnArchivedKeyAndRecordIt() throws Exception {
        FakeMail mail = mail("bob@example.test");
        byte[] original = Fixtures.bytes(mail.getMessage());
        EncryptSmime enc = new EncryptSmime(new RecipientCertificates(new StaticDirectory(bobOld), null, Clock.systemUTC()),
            new PeerCapabilityCache(10));
        enc.init(FakeMailetConfig.builder().mailetName("EncryptSmime").mailetContext(FakeMailContext.defaultContext()).build());
        enc.service(mail);

        DecryptSmime dec = new DecryptSmime();
        dec.init(FakeMailetConfig.builder().mailetName("DecryptSmime").setProperty("keyFolder", keys.toString())
            .setProperty("processor", "undecryptable").build());
        dec.service(mail);
        assertThat(Fixtures.bytes(mail.getMessage())).isEqualTo(original);
        assertThat(mail.getAttribute(DecryptSmime.DECRYPTION).get().getValue().value())
            .isEqualTo("key=" + bobOld.id().replace('@', '_').replace('#', '-') + " content=aes256-cbc transport=rsa-pkcs1");
        assertThat(mail.getState()).isNotEqualTo("undecryptable");
    }

    @Test
    void decryptSmimeShouldRouteMailItCannotOpenUnchanged() throws Exception {
        SmimeKeyPair stranger = pki.user("bob@example.test");
        FakeMail mail = mail("bob@example.test");
        EncryptSmime enc = new EncryptSmime(new RecipientCertificates(new StaticDirectory(stranger), null, Clock.systemUTC()),
            new PeerCapabilityCache(10));
        enc.init(FakeMailetConfig.builder().mailetName("EncryptSmime").mailetContext(FakeMailContext.defaultContext()).build());
        enc.service(mail);
        byte[] encrypted = Fixtures.bytes(mail.getMessage());

        DecryptSmime dec = new DecryptSmime(PemSmimeKeySource.fromFolder(keys));
        dec.init(FakeMailetConfig.builder().mailetName("DecryptSmime").setProperty("processor", "undecryptable").build());
        dec.service(mail);
        assertThat(mail.getState()).isEqualTo("undecryptable");
        assertThat(Fixtures.bytes(mail.getMessage())).isEqualTo(encrypted);
        assertThat(mail.getAttribute(DecryptSmime.FAILURE).get().getValue().value()).isEqualTo("NO_MATCHING_KEY");

        FakeMail corrupt = FakeMail.builder().name("c").recipient("bob@example.test").mimeMessage(Fixtures.message(
            "From: a@example.test\r\nContent-Type: application/pkcs7-mime; smime-type=enveloped-data\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\nMIIBAgMEBQ==\r\n")).build();
        dec.service(corrupt);
        assertThat(corrupt.getState()).isEqualTo("undecryptable");
        assertThat(corrupt.getAttribute(DecryptSmime.FAILURE).get().getValue().value()).isEqualTo("CORRUPT");
    }

    @ParameterizedTest
    @ValueSource(strings = {"text/plain;; charset=utf-8; ; ", "text/plain; charset=\"utf-8", "text/plain; format=flowed; delsp"})
    void smimeMailetsShouldGiveAMalformedContentTypeAVerdictNotAnException(String contentType) throws Exception {
        String raw = "From: alice@example.test\r\nTo: bob@example.test\r\nSubject: hostile\r\n"
            + "Content-Type: " + contentType + "\r\n\r\nHello Bob\r\n";
        FakeMail signed = hostile(raw);
        signer().service(signed);
        VerifySmime v = new VerifySmime(verifier(), new PeerCapabilityCache(10));
        v.init(FakeMailetConfig.builder().mailetName("VerifySmime").setProperty("authservId", "mx.example.test").build());
        v.service(signed);
        assertThat(signed.getAttribute(VerifySmime.RESULT).get().getValue().value()).isEqualTo("pass");

        FakeMail plain = hostile(raw);
        v.service(plain);
        assertThat(plain.getAttribute(VerifySmime.RESULT).get().getValue().value()).isEqualTo("none");
        assertThat(new String(Fixtures.bytes(plain.getMessage()), StandardCharsets.US_ASCII))
            .contains("mx.example.test; smime=none").endsWith("\r\n\r\nHello Bob\r\n");

        FakeMail encrypted = hostile(raw);
        encryptor("bounce", null, new PeerCapabilityCache(10)).service(encrypted);
        assertThat(encrypted.getMessage().getContentType()).contains("smime-type=enveloped-data");
        ByteArrayOutputStream opened = new ByteArrayOutputStream();
        new SmimeDecryptor().decrypt(new ByteArrayInputStream(Fixtures.bytes(encrypted.getMessage())), opened, List.of(bob));
        assertThat(opened.toString(StandardCharsets.US_ASCII)).contains("Hello Bob");
    }

    /** Unsaved, as James's message is after a header mailet: writing it calls saveChanges(). */
    private static FakeMail hostile(String raw) throws Exception {
        MimeMessage unsaved = new MimeMessage(Session.getInstance(new Properties()),
            new ByteArrayInputStream(raw.getBytes(StandardCharsets.US_ASCII))) {
            {
                saved = false;
            }
        };
        return FakeMail.builder().name("h").mimeMessage(unsaved).sender("alice@example.test").state("root")
            .recipient("bob@example.test").build();
    }

    @Test
    void verifySmimeShouldRecordPassAndAnAuthenticationResultsHeaderAndRemoveForgedOnes() throws Exception {
        FakeMail mail = mail("bob@example.test");
        mail.getMessage().addHeader("Authentication-Results", "mx.example.test; smime=pass (forged by sender)");
        mail.getMessage().addHeader("Authentication-Results", "other.example; dkim=pass");
        mail.getMessage().saveChanges();
        signer().service(mail);
        PeerCapabilityCache cache = new PeerCapabilityCache(10);
        VerifySmime v = new VerifySmime(verifier(), cache);
        v.init(FakeMailetConfig.builder().mailetName("VerifySmime").setProperty("authservId", "mx.example.test").build());
        v.service(mail);
        assertThat(mail.getAttribute(VerifySmime.RESULT).get().getValue().value()).isEqualTo("pass");
        assertThat(mail.getAttribute(VerifySmime.SIGNER).get().getValue().value()).isEqualTo("alice@example.test");
        String[] ar = mail.getMessage().getHeader("Authentication-Results");
        assertThat(ar).hasSize(2);
        assertThat(javax.mail.internet.MimeUtility.unfold(String.join("\n", ar))).doesNotContain("forged").contains("other.example; dkim=pass")
            .contains("mx.example.test; smime=pass body.smime-identifier=alice@example.test");
        assertThat(cache.lookup("alice@example.test")).contains(new PeerCapabilities(true, true));
        assertThat(verifier().verify(Fixtures.bytes(mail.getMessage()), null).result()).isEqualTo(SmimeResult.PASS);
    }

    @Test
    void verifySmimeShouldReportFailForATamperedMessageAndStripWhenAsked() throws Exception {
        FakeMail mail = mail("bob@example.test");
        signer().service(mail);
        String tampered = new String(Fixtures.bytes(mail.getMessage()), StandardCharsets.US_ASCII).replace("Hello Bob", "Hello Bo!");
        FakeMail bad = FakeMail.builder().name("t").recipient("bob@example.test").mimeMessage(Fixtures.message(tampered)).build();
        VerifySmime v = new VerifySmime(verifier(), new PeerCapabilityCache(10));
        v.init(FakeMailetConfig.builder().mailetName("VerifySmime").setProperty("stripSignature", "true").build());
        v.service(bad);
        assertThat(bad.getAttribute(VerifySmime.RESULT).get().getValue().value()).isEqualTo("fail");
        assertThat(bad.getAttribute(VerifySmime.REASON).get().getValue().value()).asString().contains("digest mismatch");
        assertThat(bad.getMessage().getHeader("Authentication-Results")[0]).startsWith("localhost; smime=fail");
        assertThat(bad.getMessage().getContentType()).startsWith("multipart/mixed");

        FakeMail plain = mail("bob@example.test");
        v.service(plain);
        assertThat(plain.getAttribute(VerifySmime.RESULT).get().getValue().value()).isEqualTo("none");
    }

    /** A directory that returns one fixed certificate for everybody. */
    static final class StaticDirectory implements dev.mailsec.smime.CertificateDirectory {
        private final SmimeKeyPair key;

        StaticDirectory(SmimeKeyPair key) {
            this.key = key;
        }

        @Override
        public List<java.security.cert.X509Certificate> lookup(String address) {
            return List.of(key.certificate());
        }
    }
}

package dev.mailsec.mailets.smime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsec.config.WorkingDirectory;
import dev.mailsec.smime.DecryptionResult;
import dev.mailsec.smime.FolderCertificateDirectory;
import dev.mailsec.smime.PeerCapabilities;
import dev.mailsec.smime.PeerCapabilityCache;
import dev.mailsec.smime.RecipientCertificates;
import dev.mailsec.smime.SmimeDecryptor;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailContext;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.Test;

class EncryptSmimeTest extends SmimeMailetTestBase {

    @Test
    void encryptSmimeShouldEncryptForRecipientsWithCertificatesAndBounceACopyForTheOthers()
            throws Exception {
        FakeMailContext context = FakeMailContext.defaultContext();
        EncryptSmime m =
                new EncryptSmime(
                        new RecipientCertificates(
                                new FolderCertificateDirectory(certs), null, Clock.systemUTC()),
                        new PeerCapabilityCache(10));
        m.init(
                FakeMailetConfig.builder()
                        .mailetName("EncryptSmime")
                        .mailetContext(context)
                        .build());
        FakeMail mail = mail("bob@example.test", "dave@example.test");
        byte[] original = Fixtures.bytes(mail.getMessage());
        m.service(mail);

        assertThat(mail.getRecipients()).containsExactly(new MailAddress("bob@example.test"));
        assertThat(mail.getMessage().getContentType()).contains("smime-type=enveloped-data");
        assertThat(new String(Fixtures.bytes(mail.getMessage()), StandardCharsets.US_ASCII))
                .doesNotContain("Hello Bob");
        assertThat(mail.getAttribute(EncryptSmime.ENCRYPTION).get().getValue().value())
                .isEqualTo("aes256-cbc rsa-pkcs1");
        assertThat(context.getBouncedMails()).hasSize(1);
        assertThat(context.getBouncedMails().get(0).getSentMail().getRecipients())
                .containsExactly(new MailAddress("dave@example.test"));
        assertThat(context.getBouncedMails().get(0).getMessage())
                .contains("dave@example.test")
                .contains("no usable S/MIME certificate");

        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        DecryptionResult r =
                new SmimeDecryptor()
                        .decrypt(
                                new ByteArrayInputStream(Fixtures.bytes(mail.getMessage())),
                                plain,
                                List.of(bob));
        assertThat(r.keyId()).isEqualTo(bob.id());
        assertThat(plain.toByteArray()).isEqualTo(original);
    }

    @Test
    void encryptSmimeShouldReadItsFoldersRelativeToJamesWorkingDirectoryNotTheCurrentDirectory()
            throws Exception {
        // issue 14: conf/smime/certs followed the process's current directory; James starts from
        // its home
        // with -Dworking.directory=., and a start from elsewhere must still find the certificates
        WorkingDirectory.with(
                dir,
                () -> {
                    EncryptSmime m = new EncryptSmime();
                    m.init(
                            FakeMailetConfig.builder()
                                    .mailetName("EncryptSmime")
                                    .mailetContext(FakeMailContext.defaultContext())
                                    .setProperty("certificateFolder", "certs")
                                    .setProperty("trustAnchors", "file://" + dir.relativize(ca))
                                    .build());
                    FakeMail mail = mail("bob@example.test");
                    m.service(mail);
                    assertThat(mail.getMessage().getContentType())
                            .contains("smime-type=enveloped-data");
                });
    }

    @Test
    void encryptSmimeShouldUseGcmAndOaepForPeersThatAnnouncedThem() throws Exception {
        PeerCapabilityCache cache = new PeerCapabilityCache(10);
        cache.remember("bob@example.test", new PeerCapabilities(true, true));
        FakeMail mail = mail("bob@example.test");
        encryptor("bounce", null, cache).service(mail);
        assertThat(mail.getMessage().getContentType()).contains("smime-type=authEnveloped-data");
        assertThat(mail.getAttribute(EncryptSmime.ENCRYPTION).get().getValue().value())
                .isEqualTo("aes256-gcm rsa-oaep");
    }

    @Test
    void encryptSmimeShouldNeverLetAMailWithoutCertificatesOutInClearUnderBounceOrProcessor()
            throws Exception {
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
}

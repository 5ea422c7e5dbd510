package dev.mailsec.mailets.smime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsec.smime.PeerCapabilityCache;
import dev.mailsec.smime.PemSmimeKeySource;
import dev.mailsec.smime.RecipientCertificates;
import dev.mailsec.smime.SmimeKeyPair;
import java.time.Clock;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailContext;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.Test;

class DecryptSmimeTest extends SmimeMailetTestBase {

    @Test
    void decryptSmimeShouldOpenMailForAnArchivedKeyAndRecordIt() throws Exception {
        FakeMail mail = mail("bob@example.test");
        byte[] original = Fixtures.bytes(mail.getMessage());
        EncryptSmime enc =
                new EncryptSmime(
                        new RecipientCertificates(
                                new StaticDirectory(bobOld), null, Clock.systemUTC()),
                        new PeerCapabilityCache(10));
        enc.init(
                FakeMailetConfig.builder()
                        .mailetName("EncryptSmime")
                        .mailetContext(FakeMailContext.defaultContext())
                        .build());
        enc.service(mail);

        DecryptSmime dec = new DecryptSmime();
        dec.init(
                FakeMailetConfig.builder()
                        .mailetName("DecryptSmime")
                        .setProperty("keyFolder", keys.toString())
                        .setProperty("processor", "undecryptable")
                        .build());
        dec.service(mail);
        assertThat(Fixtures.bytes(mail.getMessage())).isEqualTo(original);
        assertThat(mail.getAttribute(DecryptSmime.DECRYPTION).get().getValue().value())
                .isEqualTo(
                        "key="
                                + bobOld.id().replace('@', '_').replace('#', '-')
                                + " content=aes256-cbc transport=rsa-pkcs1");
        assertThat(mail.getState()).isNotEqualTo("undecryptable");
    }

    @Test
    void decryptSmimeShouldRouteMailItCannotOpenUnchanged() throws Exception {
        SmimeKeyPair stranger = pki.user("bob@example.test");
        FakeMail mail = mail("bob@example.test");
        EncryptSmime enc =
                new EncryptSmime(
                        new RecipientCertificates(
                                new StaticDirectory(stranger), null, Clock.systemUTC()),
                        new PeerCapabilityCache(10));
        enc.init(
                FakeMailetConfig.builder()
                        .mailetName("EncryptSmime")
                        .mailetContext(FakeMailContext.defaultContext())
                        .build());
        enc.service(mail);
        byte[] encrypted = Fixtures.bytes(mail.getMessage());

        DecryptSmime dec = new DecryptSmime(PemSmimeKeySource.fromFolder(keys));
        dec.init(
                FakeMailetConfig.builder()
                        .mailetName("DecryptSmime")
                        .setProperty("processor", "undecryptable")
                        .build());
        dec.service(mail);
        assertThat(mail.getState()).isEqualTo("undecryptable");
        assertThat(Fixtures.bytes(mail.getMessage())).isEqualTo(encrypted);
        assertThat(mail.getAttribute(DecryptSmime.FAILURE).get().getValue().value())
                .isEqualTo("NO_MATCHING_KEY");

        FakeMail corrupt =
                FakeMail.builder()
                        .name("c")
                        .recipient("bob@example.test")
                        .mimeMessage(
                                Fixtures.message(
                                        "From: a@example.test\r\nContent-Type: application/pkcs7-mime; smime-type=enveloped-data\r\n"
                                                + "Content-Transfer-Encoding: base64\r\n\r\nMIIBAgMEBQ==\r\n"))
                        .build();
        dec.service(corrupt);
        assertThat(corrupt.getState()).isEqualTo("undecryptable");
        assertThat(corrupt.getAttribute(DecryptSmime.FAILURE).get().getValue().value())
                .isEqualTo("CORRUPT");
    }
}

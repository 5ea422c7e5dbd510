package dev.mailsec.mailets.rights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailsec.rights.AccessEvent;
import dev.mailsec.rights.RightsTestMessages;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import javax.mail.MessagingException;
import javax.mail.Part;
import javax.mail.internet.MimeBodyPart;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeMultipart;
import org.apache.james.core.MailAddress;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailContext;
import org.junit.jupiter.api.Test;

class DecryptRightsProtectedTest extends RightsMailetTestBase {

    @Test
    void decryptShouldDeliverTheOriginalMarkedWithItsRightsAndItsEntityByteForByte()
            throws Exception {
        FakeMail mail = protectedMail("d1@mailsec.test", "do-not-forward", "bob@mailsec.test");
        String licence =
                (String) mail.getAttribute(ProtectMessage.LICENCE).get().getValue().value();
        decrypt(services, true).service(mail);

        MimeMessage m = mail.getMessage();
        assertThat(m.getHeader("X-Mailsec-Rights")[0])
                .isEqualTo(
                        "template=do-not-forward; rights=view,reply,reply-all; licence=" + licence)
                .doesNotContain(",forward");
        assertThat(m.getSubject()).isEqualTo("[dnf] plan");
        assertThat(m.getHeader("Message-ID")[0]).isEqualTo("<d1@mailsec.test>");
        MimeMultipart outer = (MimeMultipart) m.getContent();
        assertThat(outer.getCount()).isEqualTo(2);
        assertThat((String) outer.getBodyPart(0).getContent())
                .contains("do-not-forward")
                .contains("Not allowed: forward, print, extract");
        Part originalEntity = outer.getBodyPart(1);
        assertThat(originalEntity.getContentType())
                .startsWith("multipart/mixed")
                .contains("outer-b1");
        ByteArrayOutputStream entity = new ByteArrayOutputStream();
        ((MimeBodyPart) originalEntity).writeTo(entity);
        byte[] originalRaw = original("d1@mailsec.test", "[dnf] plan");
        assertThat(body(entity.toByteArray())).isEqualTo(body(originalRaw));
        assertThat(raw(m)).contains(RightsTestMessages.BODY_SECRET);
        assertThat(mail.getAttribute(DecryptRightsProtected.LICENCE).get().getValue().value())
                .isEqualTo(licence);
        assertThat(env.store().events(licence))
                .extracting(AccessEvent::address)
                .contains("bob@mailsec.test");
    }

    @Test
    void decryptWithoutNoteShouldKeepTheOriginalStructureAndOnlyAddTheHeader() throws Exception {
        FakeMail mail = protectedMail("d2@mailsec.test", "encrypt-only", "bob@mailsec.test");
        decrypt(services, false).service(mail);
        byte[] out = raw(mail.getMessage()).getBytes(StandardCharsets.ISO_8859_1);
        assertThat(body(out)).isEqualTo(body(original("d2@mailsec.test", "[dnf] plan")));
        assertThat(mail.getMessage().getHeader("X-Mailsec-Rights")[0])
                .startsWith(
                        "template=encrypt-only; rights=view,reply,reply-all,forward,print,extract;");
    }

    @Test
    void decryptShouldOpenOnlyForOrganisationRecipientsAndKeepTheWrapperForTheOthers()
            throws Exception {
        FakeMail mail =
                protectedMail(
                        "d3@mailsec.test",
                        "encrypt-only",
                        "bob@mailsec.test",
                        "carol@external.test");
        decrypt(services, true).service(mail);
        // the wrapper goes on for carol
        assertThat(mail.getRecipients()).containsExactly(new MailAddress("carol@external.test"));
        assertNoSecret(raw(mail.getMessage()));
        // bob's readable copy goes back to the same processor
        assertThat(context.getSentMails()).hasSize(1);
        FakeMailContext.SentMail copy = context.getSentMails().get(0);
        assertThat(copy.getRecipients()).containsExactly(new MailAddress("bob@mailsec.test"));
        assertThat(copy.getState()).isEqualTo("transport");
        assertThat(raw(copy.getMsg())).contains(RightsTestMessages.BODY_SECRET);
        assertThat(copy.getAttributes()).containsKey(DecryptRightsProtected.DECRYPTED);
    }

    @Test
    void decryptShouldNotOpenARevokedMessage() throws Exception {
        FakeMail mail = protectedMail("d4@mailsec.test", "do-not-forward", "bob@mailsec.test");
        assertThat(env.store().revoke("d4@mailsec.test", "alice@mailsec.test", "sent by mistake"))
                .isTrue();
        String before = raw(mail.getMessage());
        decrypt(services, true).service(mail);
        assertThat(raw(mail.getMessage())).isEqualTo(before);
        assertThat(
                        (String)
                                mail.getAttribute(DecryptRightsProtected.REFUSED)
                                        .get()
                                        .getValue()
                                        .value())
                .contains("REVOKED");
        assertThat(mail.getState()).isEqualTo("transport");
    }

    @Test
    void decryptShouldSendTheStillProtectedMailToItsProcessorWhenTheKeyStoreIsDown()
            throws Exception {
        FakeMail mail = protectedMail("d5@mailsec.test", "do-not-forward", "bob@mailsec.test");
        String before = raw(mail.getMessage());
        decrypt(
                        new RightsServices(
                                env.settings(), new DownKeyring(), env.store(), Clock.systemUTC()),
                        true)
                .service(mail);
        assertThat(mail.getState()).isEqualTo("rights-held");
        assertThat(raw(mail.getMessage())).isEqualTo(before);
    }

    @Test
    void decryptShouldRefuseBadParameters() {
        assertThatThrownBy(
                        () ->
                                new DecryptRightsProtected(services)
                                        .init(
                                                config("DecryptRightsProtected")
                                                        .setProperty("note", "maybe")
                                                        .build()))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("note")
                .hasMessageContaining("'maybe'");
    }
}

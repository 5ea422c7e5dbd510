package dev.mailsec.mailets.rights;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsec.rights.AccessEvent;
import dev.mailsec.rights.EventType;
import java.nio.charset.StandardCharsets;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.junit.jupiter.api.Test;

class EnforceRightsTest extends RightsMailetTestBase {

    @Test
    void enforceShouldBounceADoNotForwardMessageForwardedAsAttachmentToAnOutsider()
            throws Exception {
        byte[] bobs = delivered("e1@mailsec.test", "do-not-forward");
        FakeMail forward =
                mail(
                        forwardAsAttachment(bobs, "carol@external.test"),
                        "bob@mailsec.test",
                        "carol@external.test");
        enforce().service(forward);
        assertThat(forward.getState()).isEqualTo(Mail.GHOST);
        assertThat(context.getBouncedMails()).hasSize(1);
        assertThat(context.getBouncedMails().get(0).getMessage())
                .contains("e1@mailsec.test")
                .contains("carol@external.test")
                .contains("do-not-forward");
        String licence = env.store().find("e1@mailsec.test").get().licenceId();
        assertThat(env.store().events(licence))
                .extracting(AccessEvent::type)
                .contains(EventType.FORWARD_BLOCKED);
    }

    @Test
    void enforceShouldBounceADoNotForwardMessageForwardedInlineWithReferencesToAnOutsider()
            throws Exception {
        delivered("e2@mailsec.test", "do-not-forward");
        FakeMail forward =
                mail(
                        inlineReply("e2@mailsec.test", "carol@external.test", "Fwd: plan"),
                        "bob@mailsec.test",
                        "carol@external.test");
        enforce().service(forward);
        assertThat(forward.getState()).isEqualTo(Mail.GHOST);
        assertThat(context.getBouncedMails()).hasSize(1);
    }

    @Test
    void enforceShouldLetAReplyToTheSenderGoProtectedWithTheSameTemplate() throws Exception {
        delivered("e3@mailsec.test", "do-not-forward");
        FakeMail reply =
                mail(
                        inlineReply("e3@mailsec.test", "alice@mailsec.test", "Re: plan"),
                        "bob@mailsec.test",
                        "alice@mailsec.test");
        enforce().service(reply);
        assertThat(context.getBouncedMails()).isEmpty();
        assertThat(reply.getState()).isEqualTo("transport");
        assertNoSecret(raw(reply.getMessage()));
        assertThat(reply.getAttribute(ProtectMessage.TEMPLATE).get().getValue().value())
                .isEqualTo("do-not-forward");
    }

    @Test
    void enforceShouldBounceAForwardAsAttachmentEvenToARecipientOfTheLicence() throws Exception {
        byte[] bobs = delivered("e4@mailsec.test", "do-not-forward");
        FakeMail forward =
                mail(
                        forwardAsAttachment(bobs, "alice@mailsec.test"),
                        "bob@mailsec.test",
                        "alice@mailsec.test");
        enforce().service(forward);
        assertThat(forward.getState()).isEqualTo(Mail.GHOST);
        assertThat(context.getBouncedMails().get(0).getMessage())
                .contains("not even to its own recipients");
    }

    @Test
    void enforceShouldReprotectForwardedEncryptOnlyContent() throws Exception {
        byte[] bobs = delivered("e5@mailsec.test", "encrypt-only");
        FakeMail forward =
                mail(
                        forwardAsAttachment(bobs, "carol@external.test"),
                        "bob@mailsec.test",
                        "carol@external.test");
        enforce().service(forward);
        assertThat(context.getBouncedMails()).isEmpty();
        assertThat(forward.getState()).isEqualTo("transport");
        assertNoSecret(raw(forward.getMessage()));
        String licence =
                (String) forward.getAttribute(ProtectMessage.LICENCE).get().getValue().value();
        assertThat(env.store().find(licence).get().template()).isEqualTo("encrypt-only");
        assertThat(env.store().find(licence).get().recipients()).contains("carol@external.test");
    }

    @Test
    void enforceShouldBounceAnAttachedDoNotForwardWrapperAndIgnoreForgedMarkings()
            throws Exception {
        FakeMail wrapper = protectedMail("e6@mailsec.test", "do-not-forward", "bob@mailsec.test");
        byte[] wrapped = raw(wrapper.getMessage()).getBytes(StandardCharsets.ISO_8859_1);
        // the wrapper's Message-ID removed: the package itself is recognised
        String noId =
                new String(wrapped, StandardCharsets.ISO_8859_1)
                        .replaceFirst("(?im)^Message-ID:.*\r\n", "");
        FakeMail forward =
                mail(
                        forwardAsAttachment(
                                noId.getBytes(StandardCharsets.ISO_8859_1), "carol@external.test"),
                        "bob@mailsec.test",
                        "carol@external.test");
        enforce().service(forward);
        assertThat(forward.getState()).isEqualTo(Mail.GHOST);

        // a made-up marking names no licence of ours: the mail passes unchanged
        byte[] forged =
                ("From: bob@mailsec.test\r\nTo: carol@external.test\r\nSubject: hi\r\nMessage-ID: <x@mailsec.test>\r\n"
                                + "X-Mailsec-Rights: template=do-not-forward; rights=view; licence=AAAAAAAAAAAAAAAAAAAAAA\r\n\r\nhello\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1);
        FakeMail plain = mail(forged, "bob@mailsec.test", "carol@external.test");
        enforce().service(plain);
        assertThat(plain.getState()).isEqualTo("transport");
        assertThat(plain.getAttribute(ProtectMessage.LICENCE)).isEmpty();
        assertThat(raw(plain.getMessage())).contains("hello");
    }

    @Test
    void enforceShouldNotLetPaddedReferencesHideAProtectedMessage() throws Exception {
        delivered("e7@mailsec.test", "do-not-forward");
        StringBuilder refs = new StringBuilder();
        for (int i = 0; i < 600; i++) {
            refs.append("<junk-").append(i).append("@mailsec.test> ");
        }
        byte[] padded =
                new String(
                                inlineReply("e7@mailsec.test", "carol@external.test", "Fwd: plan"),
                                StandardCharsets.ISO_8859_1)
                        .replace(
                                "References: <e7@mailsec.test>",
                                "References: " + refs + "<e7@mailsec.test>")
                        .getBytes(StandardCharsets.ISO_8859_1);
        FakeMail forward = mail(padded, "bob@mailsec.test", "carol@external.test");
        enforce().service(forward);
        assertThat(forward.getState()).isEqualTo(Mail.GHOST);
        assertThat(context.getBouncedMails().get(0).getMessage()).contains("too many to check");
    }
}

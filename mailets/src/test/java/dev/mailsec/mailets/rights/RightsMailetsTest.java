package dev.mailsec.mailets.rights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailsec.rights.AccessEvent;
import dev.mailsec.rights.EventType;
import dev.mailsec.rights.RightsKey;
import dev.mailsec.rights.RightsKeyUnavailableException;
import dev.mailsec.rights.RightsKeyring;
import dev.mailsec.rights.RightsTestEnvironment;
import dev.mailsec.rights.RightsTestMessages;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import javax.crypto.SecretKey;
import javax.mail.MessagingException;
import javax.mail.Part;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeMultipart;
import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailContext;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RightsMailetsTest {

    @TempDir
    Path dir;
    RightsTestEnvironment env;
    RightsServices services;
    FakeMailContext context;

    @BeforeEach
    void setUp() throws Exception {
        env = RightsTestEnvironment.create(dir.resolve("env"), Clock.systemUTC());
        services = new RightsServices(env.settings(), env.keyring(), env.store(), Clock.systemUTC());
        context = FakeMailContext.defaultContext();
    }

    @AfterEach
    void tearDown() throws Exception {
        env.close();
    }

    FakeMailetConfig.Builder config(String name) {
        return FakeMailetConfig.builder().mailetName(name).mailetContext(context);
    }

    static FakeMail mail(byte[] raw, String sender, String... recipients) throws Exception {
        return FakeMail.builder().name("mail-1").sender(sender).recipients(recipients)
            .mimeMessage(new MimeMessage(RightsMail.SESSION, new ByteArrayInputStream(raw))).state("transport").build();
    }

    static byte[] original(String mid, String subject) {
        return RightsTestMessages.multipart("alice@mailsec.test", "bob@mailsec.test", mid, subject);
    }

    static String raw(MimeMessage m) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        m.writeTo(out);
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    static void assertNoSecret(String wire) {
        assertThat(wire).doesNotContain(RightsTestMessages.BODY_SECRET).doesNotContain(RightsTestMessages.HTML_SECRET)
            .doesNotContain("GREEN-KESTREL").doesNotContain("RED-FALCON");
    }

    ProtectMessage protectMessage(String template) throws MessagingException {
        ProtectMessage m = new ProtectMessage(services);
        m.init(config("ProtectMessage").setProperty("template", template).setProperty("onKeyStoreDown", "held").build());
        return m;
    }

    @Test
    void protectMessageShouldTurnTheMailIntoAWrapperWithNothingOfTheOriginalInClear() throws Exception {
        FakeMail mail = mail(original("m1@mailsec.test", "[dnf] plan"), "alice@mailsec.test", "bob@mailsec.test", "carol@external.test");
        protectMessage("do-not-forward").service(mail);

        String wire = raw(mail.getMessage());
        assertNoSecret(wire);
        assertThat(mail.getMessage().getHeader("Message-ID")[0]).isEqualTo("<m1@mailsec.test>");
        assertThat(mail.getMessage().getSubject()).isEqualTo("[dnf] plan");
        assertThat(RightsMail.packagePart(mail.getMessage())).isPresent();
        String licence = (String) mail.getAttribute(ProtectMessage.LICENCE).get().getValue().value();
        assertThat(mail.getAttribute(ProtectMessage.TEMPLATE).get().getValue().value()).isEqualTo("do-not-forward");
        assertThat(env.store().find("m1@mailsec.test").get().licenceId()).isEqualTo(licence);
        assertThat(env.store().find(licence).get().recipients()).contains("bob@mailsec.test", "carol@external.test");
        assertThat(mail.getState()).isEqualTo("transport");
    }

    @Test
    void protectMessageShouldProtectAMailWithAMalformedContentTypeInsteadOfFailingIt() throws Exception {
        String hostile = "From: alice@mailsec.test\r\nTo: carol@external.test\r\nSubject: [encrypt] plan\r\n"
            + "Message-ID: <h1@mailsec.test>\r\nBcc: dave@mailsec.test\r\nContent-Type: text/plain;; charset=utf-8; ; \r\n\r\n"
            + RightsTestMessages.BODY_SECRET + "\r\n";
        FakeMail mail = FakeMail.builder().name("mail-h").sender("alice@mailsec.test").recipients("carol@external.test")
            .mimeMessage(new JamesLikeMessage(hostile.getBytes(StandardCharsets.US_ASCII))).state("transport").build();

        protectMessage("encrypt-only").service(mail);

        assertThat(mail.getState()).isEqualTo("transport");
        assertThat(RightsMail.packagePart(mail.getMessage())).isPresent();
        assertNoSecret(raw(mail.getMessage()));
    }

    /**
     * Marks itself unsaved on every header edit, as James 3.8.1's MimeMessageWrapper does, so writing it out
     * calls saveChanges() as it does in James.
     */
    static final class JamesLikeMessage extends MimeMessage {
        JamesLikeMessage(byte[] raw) throws MessagingException {
            super(RightsMail.SESSION, new ByteArrayInputStream(raw));
        }

        @Override
        public void setHeader(String name, String value) throws MessagingException {
            saved = false;
            super.setHeader(name, value);
        }

        @Override
        public void addHeader(String name, String value) throws MessagingException {
            saved = false;
            super.addHeader(name, value);
        }

        @Override
        public void removeHeader(String name) throws MessagingException {
            saved = false;
            super.removeHeader(name);
        }
    }

    @Test
    void protectMessageShouldLeaveAWrapperAloneAndReplaceTheSubjectWhenAsked() throws Exception {
        ProtectMessage m = new ProtectMessage(services);
        m.init(config("ProtectMessage").setProperty("template", "encrypt-only").setProperty("subject", "replace").build());
        FakeMail mail = mail(original("m2@mailsec.test", "[encrypt] salaries"), "alice@mailsec.test", "carol@external.test");
        m.service(mail);
        assertThat(mail.getMessage().getSubject()).isEqualTo("Protected message from alice@mailsec.test");
        String once = raw(mail.getMessage());
        m.service(mail);
        assertThat(raw(mail.getMessage())).isEqualTo(once);
    }

    @Test
    void protectMessageShouldRefuseBadParametersNamingThem() {
        assertThatThrownBy(() -> new ProtectMessage(services).init(config("ProtectMessage").build()))
            .isInstanceOf(MessagingException.class).hasMessageContaining("template");
        assertThatThrownBy(() -> new ProtectMessage(services).init(config("ProtectMessage").setProperty("template", "top-secret").build()))
            .isInstanceOf(MessagingException.class).hasMessageContaining("template").hasMessageContaining("'top-secret'");
        assertThatThrownBy(() -> new ProtectMessage(services).init(config("ProtectMessage").setProperty("template", "encrypt-only")
            .setProperty("subject", "drop").build()))
            .isInstanceOf(MessagingException.class).hasMessageContaining("subject").hasMessageContaining("'drop'");
        assertThatThrownBy(() -> new ProtectMessage(services).init(config("ProtectMessage").setProperty("template", "encrypt-only")
            .setProperty("onKeyStoreDown", "two words").build()))
            .isInstanceOf(MessagingException.class).hasMessageContaining("onKeyStoreDown").hasMessageContaining("'two words'");
        assertThatThrownBy(() -> new ProtectMessage(services).init(config("ProtectMessage").setProperty("template", "encrypt-only")
            .setProperty("templat", "x").build()))
            .isInstanceOf(MessagingException.class).hasMessageContaining("'templat'");
        assertThatThrownBy(() -> new ProtectMessage().init(config("ProtectMessage").setProperty("template", "encrypt-only")
            .setProperty("config", dir.resolve("missing.xml").toString()).build()))
            .isInstanceOf(MessagingException.class).hasMessageContaining("config").hasMessageContaining("missing.xml");
    }

    /** A keyring whose key store is down. */
    static final class DownKeyring implements RightsKeyring {
        private static RightsKeyUnavailableException down() {
            return new RightsKeyUnavailableException("DKM unreachable (test)", null);
        }

        @Override
        public RightsKey<SecretKey> contentKey() throws RightsKeyUnavailableException {
            throw down();
        }

        @Override
        public Optional<SecretKey> contentKey(String kid) throws RightsKeyUnavailableException {
            throw down();
        }

        @Override
        public RightsKey<ECPrivateKey> signingKey() throws RightsKeyUnavailableException {
            throw down();
        }

        @Override
        public Optional<ECPublicKey> verificationKey(String kid) throws RightsKeyUnavailableException {
            throw down();
        }

        @Override
        public RightsKey<SecretKey> sessionKey() throws RightsKeyUnavailableException {
            throw down();
        }

        @Override
        public List<RightsKey<SecretKey>> sessionKeys() throws RightsKeyUnavailableException {
            throw down();
        }
    }

    @Test
    void mailetsShouldAcceptJamesOwnErrorHandlingParameters() throws Exception {
        new ProtectMessage(services).init(config("ProtectMessage").setProperty("template", "encrypt-only")
            .setProperty("onMailetException", "propagate").build());
        new EnforceRights(services).init(config("EnforceRights").setProperty("onMailetException", "propagate").build());
        new DecryptRightsProtected(services).init(config("DecryptRightsProtected").setProperty("onMatchException", "nomatch").build());
    }

    @Test
    void keyStoreFailureIsTheDocumentedNameAndTheOldOneStillRoutes() throws Exception {
        RightsServices down = new RightsServices(env.settings(), new DownKeyring(), env.store(), Clock.systemUTC());
        for (String name : new String[] {"onKeyStoreFailure", "onKeyStoreDown"}) {
            ProtectMessage m = new ProtectMessage(down);
            m.init(config("ProtectMessage").setProperty("template", "encrypt-only").setProperty(name, "rights-held").build());
            FakeMail mail = mail(original("m-" + name + "@mailsec.test", "[encrypt] x"), "alice@mailsec.test", "carol@external.test");
            m.service(mail);
            assertThat(mail.getState()).as(name).isEqualTo("rights-held");
        }
        assertThatThrownBy(() -> new EnforceRights(down).init(config("EnforceRights").setProperty("onKeyStoreFailure", "a")
            .setProperty("onKeyStoreDown", "b").build()))
            .isInstanceOf(MessagingException.class).hasMessageContaining("onKeyStoreDown").hasMessageContaining("onKeyStoreFailure");
        assertThatThrownBy(() -> new DecryptRightsProtected(down).init(config("DecryptRightsProtected")
            .setProperty("onKeyStoreFailure", "two words").build()))
            .isInstanceOf(MessagingException.class).hasMessageContaining("onKeyStoreFailure").hasMessageContaining("'two words'");
    }

    @Test
    void protectMessageShouldRouteToItsProcessorUnprotectedButUndeliveredWhenTheKeyStoreIsDown() throws Exception {
        RightsServices down = new RightsServices(env.settings(), new DownKeyring(), env.store(), Clock.systemUTC());
        ProtectMessage m = new ProtectMessage(down);
        m.init(config("ProtectMessage").setProperty("template", "encrypt-only").setProperty("onKeyStoreDown", "rights-held").build());
        FakeMail mail = mail(original("m3@mailsec.test", "[encrypt] x"), "alice@mailsec.test", "carol@external.test");
        m.service(mail);
        assertThat(mail.getState()).isEqualTo("rights-held");
        assertThat(env.store().find("m3@mailsec.test")).isEmpty();

        ProtectMessage strict = new ProtectMessage(down);
        strict.init(config("ProtectMessage").setProperty("template", "encrypt-only").build());
        FakeMail other = mail(original("m4@mailsec.test", "[encrypt] y"), "alice@mailsec.test", "carol@external.test");
        assertThatThrownBy(() -> strict.service(other)).isInstanceOf(MessagingException.class)
            .hasMessageContaining("not protected");
    }

    DecryptRightsProtected decrypt(RightsServices s, boolean note) throws MessagingException {
        DecryptRightsProtected d = new DecryptRightsProtected(s, r -> true);
        d.init(config("DecryptRightsProtected").setProperty("note", Boolean.toString(note))
            .setProperty("onKeyStoreDown", "rights-held").build());
        return d;
    }

    FakeMail protectedMail(String mid, String template, String... recipients) throws Exception {
        FakeMail mail = mail(original(mid, "[dnf] plan"), "alice@mailsec.test", recipients);
        protectMessage(template).service(mail);
        return mail;
    }

    static String body(byte[] raw) {
        return new String(raw, StandardCharsets.ISO_8859_1).substring(RightsMarking.bodyStart(raw));
    }

    @Test
    void decryptShouldDeliverTheOriginalMarkedWithItsRightsAndItsEntityByteForByte() throws Exception {
        FakeMail mail = protectedMail("d1@mailsec.test", "do-not-forward", "bob@mailsec.test");
        String licence = (String) mail.getAttribute(ProtectMessage.LICENCE).get().getValue().value();
        decrypt(services, true).service(mail);

        MimeMessage m = mail.getMessage();
        assertThat(m.getHeader("X-Mailsec-Rights")[0])
            .isEqualTo("template=do-not-forward; rights=view,reply,reply-all; licence=" + licence)
            .doesNotContain(",forward");
        assertThat(m.getSubject()).isEqualTo("[dnf] plan");
        assertThat(m.getHeader("Message-ID")[0]).isEqualTo("<d1@mailsec.test>");
        MimeMultipart outer = (MimeMultipart) m.getContent();
        assertThat(outer.getCount()).isEqualTo(2);
        assertThat((String) outer.getBodyPart(0).getContent()).contains("do-not-forward").contains("Not allowed: forward, print, extract");
        Part originalEntity = outer.getBodyPart(1);
        assertThat(originalEntity.getContentType()).startsWith("multipart/mixed").contains("outer-b1");
        ByteArrayOutputStream entity = new ByteArrayOutputStream();
        ((javax.mail.internet.MimeBodyPart) originalEntity).writeTo(entity);
        byte[] originalRaw = original("d1@mailsec.test", "[dnf] plan");
        assertThat(body(entity.toByteArray())).isEqualTo(body(originalRaw));
        assertThat(raw(m)).contains(RightsTestMessages.BODY_SECRET);
        assertThat(mail.getAttribute(DecryptRightsProtected.LICENCE).get().getValue().value()).isEqualTo(licence);
        assertThat(env.store().events(licence)).extracting(AccessEvent::address).contains("bob@mailsec.test");
    }

    @Test
    void decryptWithoutNoteShouldKeepTheOriginalStructureAndOnlyAddTheHeader() throws Exception {
        FakeMail mail = protectedMail("d2@mailsec.test", "encrypt-only", "bob@mailsec.test");
        decrypt(services, false).service(mail);
        byte[] out = raw(mail.getMessage()).getBytes(StandardCharsets.ISO_8859_1);
        assertThat(body(out)).isEqualTo(body(original("d2@mailsec.test", "[dnf] plan")));
        assertThat(mail.getMessage().getHeader("X-Mailsec-Rights")[0]).startsWith("template=encrypt-only; rights=view,reply,reply-all,forward,print,extract;");
    }

    @Test
    void decryptShouldOpenOnlyForOrganisationRecipientsAndKeepTheWrapperForTheOthers() throws Exception {
        FakeMail mail = protectedMail("d3@mailsec.test", "encrypt-only", "bob@mailsec.test", "carol@external.test");
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
        assertThat(env.store().revoke("d4@mailsec.test", "alice@mailsec.test", "sent by mistake")).isTrue();
        String before = raw(mail.getMessage());
        decrypt(services, true).service(mail);
        assertThat(raw(mail.getMessage())).isEqualTo(before);
        assertThat((String) mail.getAttribute(DecryptRightsProtected.REFUSED).get().getValue().value()).contains("REVOKED");
        assertThat(mail.getState()).isEqualTo("transport");
    }

    @Test
    void decryptShouldSendTheStillProtectedMailToItsProcessorWhenTheKeyStoreIsDown() throws Exception {
        FakeMail mail = protectedMail("d5@mailsec.test", "do-not-forward", "bob@mailsec.test");
        String before = raw(mail.getMessage());
        decrypt(new RightsServices(env.settings(), new DownKeyring(), env.store(), Clock.systemUTC()), true).service(mail);
        assertThat(mail.getState()).isEqualTo("rights-held");
        assertThat(raw(mail.getMessage())).isEqualTo(before);
    }

    @Test
    void decryptShouldRefuseBadParameters() {
        assertThatThrownBy(() -> new DecryptRightsProtected(services).init(config("DecryptRightsProtected").setProperty("note", "maybe").build()))
            .isInstanceOf(MessagingException.class).hasMessageContaining("note").hasMessageContaining("'maybe'");
    }

    EnforceRights enforce() throws MessagingException {
        EnforceRights e = new EnforceRights(services);
        e.init(config("EnforceRights").setProperty("onKeyStoreDown", "rights-held").build());
        return e;
    }

    /** Bob's copy of a protected message as transport decryption delivered it. */
    byte[] delivered(String mid, String template) throws Exception {
        FakeMail mail = protectedMail(mid, template, "bob@mailsec.test");
        decrypt(services, true).service(mail);
        return raw(mail.getMessage()).getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] forwardAsAttachment(byte[] attached, String to) {
        return ("From: bob@mailsec.test\r\nTo: " + to + "\r\nSubject: Fwd: plan\r\nMessage-ID: <fwd-" + to.hashCode()
            + "@mailsec.test>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"f\"\r\n\r\n"
            + "--f\r\nContent-Type: text/plain\r\n\r\nsee below\r\n--f\r\nContent-Type: message/rfc822\r\n\r\n"
            + new String(attached, StandardCharsets.ISO_8859_1) + "\r\n--f--\r\n").getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] inlineReply(String references, String to, String subject) {
        return ("From: bob@mailsec.test\r\nTo: " + to + "\r\nSubject: " + subject + "\r\nMessage-ID: <r-" + to.hashCode()
            + "@mailsec.test>\r\nIn-Reply-To: <" + references + ">\r\nReferences: <" + references + ">\r\n"
            + "MIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\n> " + RightsTestMessages.BODY_SECRET + "\r\n")
            .getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void enforceShouldBounceADoNotForwardMessageForwardedAsAttachmentToAnOutsider() throws Exception {
        byte[] bobs = delivered("e1@mailsec.test", "do-not-forward");
        FakeMail forward = mail(forwardAsAttachment(bobs, "carol@external.test"), "bob@mailsec.test", "carol@external.test");
        enforce().service(forward);
        assertThat(forward.getState()).isEqualTo(Mail.GHOST);
        assertThat(context.getBouncedMails()).hasSize(1);
        assertThat(context.getBouncedMails().get(0).getMessage()).contains("e1@mailsec.test").contains("carol@external.test")
            .contains("do-not-forward");
        String licence = env.store().find("e1@mailsec.test").get().licenceId();
        assertThat(env.store().events(licence)).extracting(AccessEvent::type).contains(EventType.FORWARD_BLOCKED);
    }

    @Test
    void enforceShouldBounceADoNotForwardMessageForwardedInlineWithReferencesToAnOutsider() throws Exception {
        delivered("e2@mailsec.test", "do-not-forward");
        FakeMail forward = mail(inlineReply("e2@mailsec.test", "carol@external.test", "Fwd: plan"), "bob@mailsec.test",
            "carol@external.test");
        enforce().service(forward);
        assertThat(forward.getState()).isEqualTo(Mail.GHOST);
        assertThat(context.getBouncedMails()).hasSize(1);
    }

    @Test
    void enforceShouldLetAReplyToTheSenderGoProtectedWithTheSameTemplate() throws Exception {
        delivered("e3@mailsec.test", "do-not-forward");
        FakeMail reply = mail(inlineReply("e3@mailsec.test", "alice@mailsec.test", "Re: plan"), "bob@mailsec.test",
            "alice@mailsec.test");
        enforce().service(reply);
        assertThat(context.getBouncedMails()).isEmpty();
        assertThat(reply.getState()).isEqualTo("transport");
        assertNoSecret(raw(reply.getMessage()));
        assertThat(reply.getAttribute(ProtectMessage.TEMPLATE).get().getValue().value()).isEqualTo("do-not-forward");
    }

    @Test
    void enforceShouldBounceAForwardAsAttachmentEvenToARecipientOfTheLicence() throws Exception {
        byte[] bobs = delivered("e4@mailsec.test", "do-not-forward");
        FakeMail forward = mail(forwardAsAttachment(bobs, "alice@mailsec.test"), "bob@mailsec.test", "alice@mailsec.test");
        enforce().service(forward);
        assertThat(forward.getState()).isEqualTo(Mail.GHOST);
        assertThat(context.getBouncedMails().get(0).getMessage()).contains("not even to its own recipients");
    }

    @Test
    void enforceShouldReprotectForwardedEncryptOnlyContent() throws Exception {
        byte[] bobs = delivered("e5@mailsec.test", "encrypt-only");
        FakeMail forward = mail(forwardAsAttachment(bobs, "carol@external.test"), "bob@mailsec.test", "carol@external.test");
        enforce().service(forward);
        assertThat(context.getBouncedMails()).isEmpty();
        assertThat(forward.getState()).isEqualTo("transport");
        assertNoSecret(raw(forward.getMessage()));
        String licence = (String) forward.getAttribute(ProtectMessage.LICENCE).get().getValue().value();
        assertThat(env.store().find(licence).get().template()).isEqualTo("encrypt-only");
        assertThat(env.store().find(licence).get().recipients()).contains("carol@external.test");
    }

    @Test
    void enforceShouldBounceAnAttachedDoNotForwardWrapperAndIgnoreForgedMarkings() throws Exception {
        FakeMail wrapper = protectedMail("e6@mailsec.test", "do-not-forward", "bob@mailsec.test");
        byte[] wrapped = raw(wrapper.getMessage()).getBytes(StandardCharsets.ISO_8859_1);
        // the wrapper's Message-ID removed: the package itself is recognised
        String noId = new String(wrapped, StandardCharsets.ISO_8859_1).replaceFirst("(?im)^Message-ID:.*\r\n", "");
        FakeMail forward = mail(forwardAsAttachment(noId.getBytes(StandardCharsets.ISO_8859_1), "carol@external.test"),
            "bob@mailsec.test", "carol@external.test");
        enforce().service(forward);
        assertThat(forward.getState()).isEqualTo(Mail.GHOST);

        // a made-up marking names no licence of ours: the mail passes unchanged
        byte[] forged = ("From: bob@mailsec.test\r\nTo: carol@external.test\r\nSubject: hi\r\nMessage-ID: <x@mailsec.test>\r\n"
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
        byte[] padded = new String(inlineReply("e7@mailsec.test", "carol@external.test", "Fwd: plan"), StandardCharsets.ISO_8859_1)
            .replace("References: <e7@mailsec.test>", "References: " + refs + "<e7@mailsec.test>").getBytes(StandardCharsets.ISO_8859_1);
        FakeMail forward = mail(padded, "bob@mailsec.test", "carol@external.test");
        enforce().service(forward);
        assertThat(forward.getState()).isEqualTo(Mail.GHOST);
        assertThat(context.getBouncedMails().get(0).getMessage()).contains("too many to check");
    }
}

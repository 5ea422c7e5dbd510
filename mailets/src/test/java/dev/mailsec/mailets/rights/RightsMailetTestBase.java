package dev.mailsec.mailets.rights;

import static org.assertj.core.api.Assertions.assertThat;

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
import javax.mail.internet.MimeMessage;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailContext;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rights services, mail context and messages the tests of {@code ProtectMessage}, {@code
 * DecryptRightsProtected} and {@code EnforceRights} share.
 */
abstract class RightsMailetTestBase {

    @TempDir Path dir;
    RightsTestEnvironment env;
    RightsServices services;
    FakeMailContext context;

    @BeforeEach
    void setUp() throws Exception {
        env = RightsTestEnvironment.create(dir.resolve("env"), Clock.systemUTC());
        services =
                new RightsServices(env.settings(), env.keyring(), env.store(), Clock.systemUTC());
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
        return FakeMail.builder()
                .name("mail-1")
                .sender(sender)
                .recipients(recipients)
                .mimeMessage(new MimeMessage(RightsMail.SESSION, new ByteArrayInputStream(raw)))
                .state("transport")
                .build();
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
        assertThat(wire)
                .doesNotContain(RightsTestMessages.BODY_SECRET)
                .doesNotContain(RightsTestMessages.HTML_SECRET)
                .doesNotContain("GREEN-KESTREL")
                .doesNotContain("RED-FALCON");
    }

    ProtectMessage protectMessage(String template) throws MessagingException {
        ProtectMessage m = new ProtectMessage(services);
        m.init(
                config("ProtectMessage")
                        .setProperty("template", template)
                        .setProperty("onKeyStoreDown", "held")
                        .build());
        return m;
    }

    /**
     * Marks itself unsaved on every header edit, as James 3.8.1's MimeMessageWrapper does, so
     * writing it out calls saveChanges() as it does in James.
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
        public Optional<ECPublicKey> verificationKey(String kid)
                throws RightsKeyUnavailableException {
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

    DecryptRightsProtected decrypt(RightsServices s, boolean note) throws MessagingException {
        DecryptRightsProtected d = new DecryptRightsProtected(s, r -> true);
        d.init(
                config("DecryptRightsProtected")
                        .setProperty("note", Boolean.toString(note))
                        .setProperty("onKeyStoreDown", "rights-held")
                        .build());
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
        return ("From: bob@mailsec.test\r\nTo: "
                        + to
                        + "\r\nSubject: Fwd: plan\r\nMessage-ID: <fwd-"
                        + to.hashCode()
                        + "@mailsec.test>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"f\"\r\n\r\n"
                        + "--f\r\nContent-Type: text/plain\r\n\r\nsee below\r\n--f\r\nContent-Type: message/rfc822\r\n\r\n"
                        + new String(attached, StandardCharsets.ISO_8859_1)
                        + "\r\n--f--\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] inlineReply(String references, String to, String subject) {
        return ("From: bob@mailsec.test\r\nTo: "
                        + to
                        + "\r\nSubject: "
                        + subject
                        + "\r\nMessage-ID: <r-"
                        + to.hashCode()
                        + "@mailsec.test>\r\nIn-Reply-To: <"
                        + references
                        + ">\r\nReferences: <"
                        + references
                        + ">\r\n"
                        + "MIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\n> "
                        + RightsTestMessages.BODY_SECRET
                        + "\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
    }
}

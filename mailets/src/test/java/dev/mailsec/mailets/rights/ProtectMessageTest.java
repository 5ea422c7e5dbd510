package dev.mailsec.mailets.rights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailsec.rights.RightsTestMessages;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import javax.mail.MessagingException;
import org.apache.mailet.base.test.FakeMail;
import org.junit.jupiter.api.Test;

class ProtectMessageTest extends RightsMailetTestBase {

    @Test
    void protectMessageShouldTurnTheMailIntoAWrapperWithNothingOfTheOriginalInClear()
            throws Exception {
        FakeMail mail =
                mail(
                        original("m1@mailsec.test", "[dnf] plan"),
                        "alice@mailsec.test",
                        "bob@mailsec.test",
                        "carol@external.test");
        protectMessage("do-not-forward").service(mail);

        String wire = raw(mail.getMessage());
        assertNoSecret(wire);
        assertThat(mail.getMessage().getHeader("Message-ID")[0]).isEqualTo("<m1@mailsec.test>");
        assertThat(mail.getMessage().getSubject()).isEqualTo("[dnf] plan");
        assertThat(RightsMail.packagePart(mail.getMessage())).isPresent();
        String licence =
                (String) mail.getAttribute(ProtectMessage.LICENCE).get().getValue().value();
        assertThat(mail.getAttribute(ProtectMessage.TEMPLATE).get().getValue().value())
                .isEqualTo("do-not-forward");
        assertThat(env.store().find("m1@mailsec.test").get().licenceId()).isEqualTo(licence);
        assertThat(env.store().find(licence).get().recipients())
                .contains("bob@mailsec.test", "carol@external.test");
        assertThat(mail.getState()).isEqualTo("transport");
    }

    @Test
    void protectMessageShouldProtectAMailWithAMalformedContentTypeInsteadOfFailingIt()
            throws Exception {
        String hostile =
                "From: alice@mailsec.test\r\nTo: carol@external.test\r\nSubject: [encrypt] plan\r\n"
                        + "Message-ID: <h1@mailsec.test>\r\nBcc: dave@mailsec.test\r\nContent-Type: text/plain;; charset=utf-8; ; \r\n\r\n"
                        + RightsTestMessages.BODY_SECRET
                        + "\r\n";
        FakeMail mail =
                FakeMail.builder()
                        .name("mail-h")
                        .sender("alice@mailsec.test")
                        .recipients("carol@external.test")
                        .mimeMessage(
                                new JamesLikeMessage(hostile.getBytes(StandardCharsets.US_ASCII)))
                        .state("transport")
                        .build();

        protectMessage("encrypt-only").service(mail);

        assertThat(mail.getState()).isEqualTo("transport");
        assertThat(RightsMail.packagePart(mail.getMessage())).isPresent();
        assertNoSecret(raw(mail.getMessage()));
    }

    @Test
    void protectMessageShouldLeaveAWrapperAloneAndReplaceTheSubjectWhenAsked() throws Exception {
        ProtectMessage m = new ProtectMessage(services);
        m.init(
                config("ProtectMessage")
                        .setProperty("template", "encrypt-only")
                        .setProperty("subject", "replace")
                        .build());
        FakeMail mail =
                mail(
                        original("m2@mailsec.test", "[encrypt] salaries"),
                        "alice@mailsec.test",
                        "carol@external.test");
        m.service(mail);
        assertThat(mail.getMessage().getSubject())
                .isEqualTo("Protected message from alice@mailsec.test");
        String once = raw(mail.getMessage());
        m.service(mail);
        assertThat(raw(mail.getMessage())).isEqualTo(once);
    }

    @Test
    void protectMessageShouldRefuseBadParametersNamingThem() {
        assertThatThrownBy(
                        () -> new ProtectMessage(services).init(config("ProtectMessage").build()))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("template");
        assertThatThrownBy(
                        () ->
                                new ProtectMessage(services)
                                        .init(
                                                config("ProtectMessage")
                                                        .setProperty("template", "top-secret")
                                                        .build()))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("template")
                .hasMessageContaining("'top-secret'");
        assertThatThrownBy(
                        () ->
                                new ProtectMessage(services)
                                        .init(
                                                config("ProtectMessage")
                                                        .setProperty("template", "encrypt-only")
                                                        .setProperty("subject", "drop")
                                                        .build()))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("subject")
                .hasMessageContaining("'drop'");
        assertThatThrownBy(
                        () ->
                                new ProtectMessage(services)
                                        .init(
                                                config("ProtectMessage")
                                                        .setProperty("template", "encrypt-only")
                                                        .setProperty("onKeyStoreDown", "two words")
                                                        .build()))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("onKeyStoreDown")
                .hasMessageContaining("'two words'");
        assertThatThrownBy(
                        () ->
                                new ProtectMessage(services)
                                        .init(
                                                config("ProtectMessage")
                                                        .setProperty("template", "encrypt-only")
                                                        .setProperty("templat", "x")
                                                        .build()))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("'templat'");
        assertThatThrownBy(
                        () ->
                                new ProtectMessage()
                                        .init(
                                                config("ProtectMessage")
                                                        .setProperty("template", "encrypt-only")
                                                        .setProperty(
                                                                "config",
                                                                dir.resolve("missing.xml")
                                                                        .toString())
                                                        .build()))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("config")
                .hasMessageContaining("missing.xml");
    }

    @Test
    void mailetsShouldAcceptJamesOwnErrorHandlingParameters() throws Exception {
        new ProtectMessage(services)
                .init(
                        config("ProtectMessage")
                                .setProperty("template", "encrypt-only")
                                .setProperty("onMailetException", "propagate")
                                .build());
        new EnforceRights(services)
                .init(
                        config("EnforceRights")
                                .setProperty("onMailetException", "propagate")
                                .build());
        new DecryptRightsProtected(services)
                .init(
                        config("DecryptRightsProtected")
                                .setProperty("onMatchException", "nomatch")
                                .build());
    }

    @Test
    void protectMessageShouldRouteToItsProcessorUnprotectedButUndeliveredWhenTheKeyStoreIsDown()
            throws Exception {
        RightsServices down =
                new RightsServices(
                        env.settings(), new DownKeyring(), env.store(), Clock.systemUTC());
        ProtectMessage m = new ProtectMessage(down);
        m.init(
                config("ProtectMessage")
                        .setProperty("template", "encrypt-only")
                        .setProperty("onKeyStoreDown", "rights-held")
                        .build());
        FakeMail mail =
                mail(
                        original("m3@mailsec.test", "[encrypt] x"),
                        "alice@mailsec.test",
                        "carol@external.test");
        m.service(mail);
        assertThat(mail.getState()).isEqualTo("rights-held");
        assertThat(env.store().find("m3@mailsec.test")).isEmpty();

        ProtectMessage strict = new ProtectMessage(down);
        strict.init(config("ProtectMessage").setProperty("template", "encrypt-only").build());
        FakeMail other =
                mail(
                        original("m4@mailsec.test", "[encrypt] y"),
                        "alice@mailsec.test",
                        "carol@external.test");
        assertThatThrownBy(() -> strict.service(other))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("not protected");
    }

    @Test
    void keyStoreFailureIsTheDocumentedNameAndTheOldOneStillRoutes() throws Exception {
        RightsServices down =
                new RightsServices(
                        env.settings(), new DownKeyring(), env.store(), Clock.systemUTC());
        for (String name : new String[] {"onKeyStoreFailure", "onKeyStoreDown"}) {
            ProtectMessage m = new ProtectMessage(down);
            m.init(
                    config("ProtectMessage")
                            .setProperty("template", "encrypt-only")
                            .setProperty(name, "rights-held")
                            .build());
            FakeMail mail =
                    mail(
                            original("m-" + name + "@mailsec.test", "[encrypt] x"),
                            "alice@mailsec.test",
                            "carol@external.test");
            m.service(mail);
            assertThat(mail.getState()).as(name).isEqualTo("rights-held");
        }
        assertThatThrownBy(
                        () ->
                                new EnforceRights(down)
                                        .init(
                                                config("EnforceRights")
                                                        .setProperty("onKeyStoreFailure", "a")
                                                        .setProperty("onKeyStoreDown", "b")
                                                        .build()))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("onKeyStoreDown")
                .hasMessageContaining("onKeyStoreFailure");
        assertThatThrownBy(
                        () ->
                                new DecryptRightsProtected(down)
                                        .init(
                                                config("DecryptRightsProtected")
                                                        .setProperty(
                                                                "onKeyStoreFailure", "two words")
                                                        .build()))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("onKeyStoreFailure")
                .hasMessageContaining("'two words'");
    }
}

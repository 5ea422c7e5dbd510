package dev.mailsec.matchers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.internet.MimeMessage;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMatcherConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SubjectHasTagTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "[encrypt] hello",
                "[ENCRYPT] hello",
                "[Encrypt]",
                "Re: [encrypt] hello",
                "RE: Fwd: AW: WG: SV: Fw: [encrypt] hello",
                "Re[2]: [encrypt] hello",
                "Re:[encrypt]hello",
                "  [ encrypt ]  hello",
                "\t[encrypt]\r\n hello",
                "=?utf-8?q?=5Bencrypt=5D_hello?=",
                "Re: =?utf-8?B?W0VOQ1JZUFRdIGhlbGxv?=",
                "Re:=?utf-8?q?=5Bencrypt=5D?=",
                "\uff3b\uff25\uff2e\uff23\uff32\uff39\uff30\uff34\uff3d full-width",
                "[en\u200bcrypt] zero-width space",
                "\u56de\u590d\uff1a[encrypt] Chinese reply",
            })
    void matchShouldFindTheTagAsAReaderSeesIt(String subject) throws Exception {
        Mail mail = mail(subject);

        assertThat(matcher("[encrypt]").match(mail))
                .containsExactlyElementsOf(mail.getRecipients());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "hello [encrypt]",
                "encrypt",
                "Re: about encrypting",
                "[dnf] hello",
                "=?utf-8?q?=5Bencryp?=",
            })
    void matchShouldNotFindAnAbsentTag(String subject) throws Exception {
        assertThat(matcher("[encrypt]").match(mail(subject))).isEmpty();
    }

    @Test
    void matchShouldReadEverySubjectField() throws Exception {
        Mail mail = raw("Subject: hello\r\nSubject: [DNF] second\r\n\r\nbody");

        assertThat(matcher("[dnf]").match(mail)).hasSize(1);
    }

    @Test
    void matchShouldAcceptAnyTagOfAList() throws Exception {
        assertThat(matcher("[secure], [encrypt]").match(mail("[Secure] x"))).hasSize(1);
        assertThat(matcher("[secure], [encrypt]").match(mail("Re: [ENCRYPT] x"))).hasSize(1);
        assertThat(matcher("[secure], [encrypt]").match(mail("[dnf] x"))).isEmpty();
    }

    @Test
    void matchShouldReturnNothingWithoutSubject() throws Exception {
        assertThat(matcher("[encrypt]").match(raw("From: a@example.com\r\n\r\nbody"))).isEmpty();
    }

    @Test
    void matchShouldGiveAVerdictForAMalformedEncodedWord() throws Exception {
        assertThat(matcher("[encrypt]").match(mail("=?no-such-charset?q?=5Bencrypt=5D?= x")))
                .isEmpty();
        assertThat(matcher("[encrypt]").match(mail("[encrypt] =?utf-8?q?=ZZ?="))).hasSize(1);
    }

    @Test
    void initShouldFailWithoutATag() {
        assertThatThrownBy(() -> matcher(null))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("SubjectHasTag");
        assertThatThrownBy(() -> matcher(" "))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("SubjectHasTag");
        assertThatThrownBy(() -> matcher("[a],,[b]"))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("empty tag");
    }

    static SubjectHasTag matcher(String condition) throws MessagingException {
        SubjectHasTag matcher = new SubjectHasTag();
        matcher.init(
                FakeMatcherConfig.builder()
                        .matcherName("SubjectHasTag")
                        .condition(condition)
                        .build());
        return matcher;
    }

    private static Mail mail(String subject) throws Exception {
        return raw("From: alice@mailsec.test\r\nSubject: " + subject + "\r\n\r\nbody");
    }

    private static Mail raw(String message) throws Exception {
        MimeMessage m =
                new MimeMessage(
                        Session.getDefaultInstance(new Properties()),
                        new ByteArrayInputStream(message.getBytes(StandardCharsets.UTF_8)));
        return FakeMail.builder().name("m").mimeMessage(m).recipient("carol@external.test").build();
    }
}

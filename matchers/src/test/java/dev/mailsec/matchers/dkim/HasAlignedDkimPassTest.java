package dev.mailsec.matchers.dkim;

import static dev.mailsec.matchers.dkim.DkimMatchersTest.mail;
import static dev.mailsec.matchers.dkim.DkimMatchersTest.sig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailsec.dkim.Alignment;
import dev.mailsec.dkim.DkimResult;
import javax.mail.MessagingException;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMatcherConfig;
import org.junit.jupiter.api.Test;

class HasAlignedDkimPassTest {

    private static HasAlignedDkimPass matcher(String condition) throws MessagingException {
        HasAlignedDkimPass matcher = new HasAlignedDkimPass();
        matcher.init(
                FakeMatcherConfig.builder()
                        .matcherName("HasAlignedDkimPass")
                        .condition(condition)
                        .build());
        return matcher;
    }

    @Test
    void relaxedByDefaultAcceptsARelaxedAlignedPass() throws Exception {
        Mail relaxed = mail(sig(DkimResult.PASS, "mail.example.com", Alignment.RELAXED));

        assertThat(matcher(null).match(relaxed)).hasSize(1);
        assertThat(matcher("RELAXED").match(relaxed)).hasSize(1);
        assertThat(matcher("strict").match(relaxed)).isEmpty();
    }

    @Test
    void strictNeedsAnExactlyAlignedPass() throws Exception {
        Mail strict = mail(sig(DkimResult.PASS, "example.com", Alignment.STRICT));

        assertThat(matcher("strict").match(strict)).hasSize(1);
    }

    @Test
    void anAlignedFailOrAnUnalignedPassNeverMatches() throws Exception {
        Mail mail =
                mail(
                        sig(DkimResult.FAIL, "example.com", Alignment.STRICT),
                        sig(DkimResult.PASS, "list.example", Alignment.NONE));

        assertThat(matcher("relaxed").match(mail)).isEmpty();
    }

    @Test
    void otherConditionFailsTheStart() {
        assertThatThrownBy(() -> matcher("loose"))
                .isInstanceOf(MessagingException.class)
                .hasMessage(
                        "HasAlignedDkimPass: the condition must be 'relaxed' or 'strict', got 'loose'");
    }
}

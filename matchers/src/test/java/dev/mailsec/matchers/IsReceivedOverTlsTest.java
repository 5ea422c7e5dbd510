package dev.mailsec.matchers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import javax.mail.MessagingException;
import org.apache.james.core.MailAddress;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMatcherConfig;
import org.junit.jupiter.api.Test;

class IsReceivedOverTlsTest {

    private static final AttributeName PROTOCOL = AttributeName.of("org.apache.james.ssl.protocol");

    @Test
    void matchShouldReturnAllRecipientsWhenReceivedOverTlsWithoutCondition() throws Exception {
        Mail mail = mail("TLSv1");

        assertThat(matcher(null).match(mail)).containsExactlyElementsOf(mail.getRecipients());
        assertThat(matcher("").match(mail)).containsExactlyElementsOf(mail.getRecipients());
    }

    @Test
    void matchShouldReturnNothingWhenReceivedInClear() throws Exception {
        Mail mail =
                FakeMail.builder()
                        .name("clear")
                        .recipients("a@example.com", "b@example.com")
                        .build();

        assertThat(matcher(null).match(mail)).isEmpty();
        assertThat(matcher("TLSv1").match(mail)).isEmpty();
    }

    @Test
    void matchShouldCompareWithMinimum() throws Exception {
        IsReceivedOverTls tls12 = matcher("TLSv1.2");

        assertThat(tls12.match(mail("TLSv1.3")))
                .containsExactly(
                        new MailAddress("a@example.com"), new MailAddress("b@example.com"));
        assertThat(tls12.match(mail("TLSv1.2"))).hasSize(2);
        assertThat(tls12.match(mail("TLSv1.1"))).isEmpty();
        assertThat(tls12.match(mail("TLSv1"))).isEmpty();
        assertThat(tls12.match(mail("SSLv3"))).isEmpty();
    }

    @Test
    void tls13MinimumShouldExcludeTls12() throws Exception {
        IsReceivedOverTls tls13 = matcher(" TLSv1.3 ");

        assertThat(tls13.match(mail("TLSv1.2"))).isEmpty();
        assertThat(tls13.match(mail("TLSv1.3"))).hasSize(2);
    }

    @Test
    void unknownRecordedProtocolShouldMatchOnlyWithoutMinimum() throws Exception {
        assertThat(matcher(null).match(mail("TLSv1.4"))).hasSize(2);
        assertThat(matcher("SSLv3").match(mail("TLSv1.4"))).isEmpty();
    }

    @Test
    void attributeOfAnotherTypeShouldNotMatch() throws Exception {
        Mail mail =
                FakeMail.builder()
                        .name("odd")
                        .recipients("a@example.com")
                        .attribute(new Attribute(PROTOCOL, AttributeValue.of(13)))
                        .build();

        assertThat(matcher(null).match(mail)).isEmpty();
    }

    @Test
    void initShouldRejectUnknownVersionNamingMatcherAndValue() {
        assertThatThrownBy(() -> matcher("TLSv9"))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("IsReceivedOverTls")
                .hasMessageContaining("'TLSv9'");
        assertThatThrownBy(() -> matcher("foo"))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("IsReceivedOverTls")
                .hasMessageContaining("'foo'");
    }

    private static IsReceivedOverTls matcher(String condition) throws MessagingException {
        IsReceivedOverTls matcher = new IsReceivedOverTls();
        matcher.init(
                FakeMatcherConfig.builder()
                        .matcherName("IsReceivedOverTls")
                        .condition(condition)
                        .build());
        return matcher;
    }

    private static Mail mail(String protocol) throws MessagingException {
        return FakeMail.builder()
                .name("tls")
                .recipients("a@example.com", "b@example.com")
                .attribute(new Attribute(PROTOCOL, AttributeValue.of(protocol)))
                .build();
    }
}

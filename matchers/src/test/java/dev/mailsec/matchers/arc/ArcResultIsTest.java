package dev.mailsec.matchers.arc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import javax.mail.MessagingException;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMatcherConfig;
import org.junit.jupiter.api.Test;

class ArcResultIsTest {

    private static ArcResultIs matcher(String condition) throws MessagingException {
        ArcResultIs m = new ArcResultIs();
        m.init(FakeMatcherConfig.builder().matcherName("ArcResultIs").condition(condition).build());
        return m;
    }

    private static Mail mail(String result) throws MessagingException {
        Mail mail = FakeMail.builder().name("m").recipient("bob@example.org").build();
        if (result != null) {
            Map<String, AttributeValue<?>> map =
                    Map.of(
                            "result",
                            AttributeValue.of(result),
                            "instances",
                            AttributeValue.of("1"));
            mail.setAttribute(new Attribute(ArcResultIs.RESULT, AttributeValue.of(map)));
        }
        return mail;
    }

    @Test
    void matchesTheRecordedResultOnly() throws Exception {
        assertThat(matcher("pass").match(mail("pass"))).hasSize(1);
        assertThat(matcher("fail,none").match(mail("pass"))).isEmpty();
        assertThat(matcher("fail,none").match(mail("none"))).hasSize(1);
        assertThat(matcher("pass,fail,none").match(mail(null))).isEmpty();
        assertThat(matcher("pass").match(mail("forged"))).isEmpty();
    }

    @Test
    void badConditionsFailTheStart() {
        assertThatThrownBy(() -> matcher(" "))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("ArcResultIs: a condition is required");
        assertThatThrownBy(() -> matcher("pass,passed"))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("passed")
                .hasMessageContaining("use pass, fail or none");
    }
}

package dev.mailsec.matchers.spf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailsec.spf.SpfAttributeNames;
import java.util.Map;
import javax.mail.MessagingException;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMatcherConfig;
import org.junit.jupiter.api.Test;

class SpfResultIsTest {

    private static SpfResultIs matcher(String condition) throws MessagingException {
        SpfResultIs matcher = new SpfResultIs();
        matcher.init(
                FakeMatcherConfig.builder()
                        .matcherName("SpfResultIs")
                        .condition(condition)
                        .build());
        return matcher;
    }

    private static Mail mail(String result) throws Exception {
        Mail mail = FakeMail.builder().name("m").recipient("bob@example.org").build();
        if (result != null) {
            mail.setAttribute(
                    new Attribute(
                            AttributeName.of(SpfAttributeNames.RESULT),
                            AttributeValue.of(
                                    Map.of(
                                            "result", AttributeValue.of(result),
                                            "scope", AttributeValue.of("mailfrom")))));
        }
        return mail;
    }

    @Test
    void matchesTheListedResultsOnly() throws Exception {
        assertThat(matcher("fail,softfail").match(mail("softfail"))).hasSize(1);
        assertThat(matcher("fail,softfail").match(mail("pass"))).isEmpty();
        assertThat(matcher("none").match(mail(null))).isEmpty();
        assertThat(matcher("TempError").match(mail("temperror"))).hasSize(1);
    }

    @Test
    void badConditionFailsTheStart() {
        assertThatThrownBy(() -> matcher("fail,failed"))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("SpfResultIs")
                .hasMessageContaining("failed")
                .hasMessageContaining("use pass, fail, softfail");
        assertThatThrownBy(() -> matcher(""))
                .hasMessageContaining("SpfResultIs: a condition is required");
    }
}

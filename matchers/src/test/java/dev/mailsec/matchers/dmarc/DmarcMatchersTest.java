package dev.mailsec.matchers.dmarc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailsec.dmarc.DmarcAttributeNames;
import java.util.HashMap;
import java.util.Map;
import javax.mail.MessagingException;
import org.apache.james.core.MailAddress;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMatcher;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMatcherConfig;
import org.junit.jupiter.api.Test;

class DmarcMatchersTest {

    static Mail mail(String result, String disposition) throws MessagingException {
        Map<String, AttributeValue<?>> m = new HashMap<>();
        m.put(DmarcAttributeNames.RESULT_KEY, AttributeValue.of(result));
        m.put(DmarcAttributeNames.DISPOSITION, AttributeValue.of(disposition));
        m.put(DmarcAttributeNames.POLICY, AttributeValue.of("reject"));
        return FakeMail.builder()
                .name("m")
                .recipient(new MailAddress("bob@example.org"))
                .attribute(
                        new Attribute(
                                AttributeName.of(DmarcAttributeNames.RESULT), AttributeValue.of(m)))
                .build();
    }

    private static <M extends GenericMatcher> M init(M matcher, String name, String condition)
            throws MessagingException {
        matcher.init(FakeMatcherConfig.builder().matcherName(name).condition(condition).build());
        return matcher;
    }

    @Test
    void resultIsMatchesTheResult() throws Exception {
        DmarcResultIs m = init(new DmarcResultIs(), "DmarcResultIs", "fail, permerror");
        assertThat(m.match(mail("fail", "reject"))).hasSize(1);
        assertThat(m.match(mail("permerror", "none"))).hasSize(1);
        assertThat(m.match(mail("pass", "none"))).isEmpty();
    }

    @Test
    void policyIsMatchesTheDispositionNotThePublishedPolicy() throws Exception {
        DmarcPolicyIs m = init(new DmarcPolicyIs(), "DmarcPolicyIs", "reject");
        assertThat(m.match(mail("fail", "reject"))).hasSize(1);
        // p=reject overridden (ARC, allow-list) or sampled to quarantine: not a reject
        assertThat(m.match(mail("fail", "none"))).isEmpty();
        assertThat(m.match(mail("fail", "quarantine"))).isEmpty();
    }

    @Test
    void mailNotSeenByVerifyDmarcNeverMatches() throws Exception {
        Mail plain = FakeMail.builder().name("x").recipient(new MailAddress("a@b.example")).build();
        assertThat(init(new DmarcResultIs(), "DmarcResultIs", "fail").match(plain)).isEmpty();
        assertThat(init(new DmarcPolicyIs(), "DmarcPolicyIs", "none").match(plain)).isEmpty();
        plain.setAttribute(
                new Attribute(
                        AttributeName.of(DmarcAttributeNames.RESULT), AttributeValue.of("fail")));
        assertThat(init(new DmarcResultIs(), "DmarcResultIs", "fail").match(plain)).isEmpty();
    }

    @Test
    void badConditionsFailTheStartNamingTheValue() {
        assertThatThrownBy(() -> init(new DmarcResultIs(), "DmarcResultIs", "fail,failed"))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("DmarcResultIs: ")
                .hasMessageContaining("failed")
                .hasMessageContaining("use pass, fail, none, temperror or permerror");
        assertThatThrownBy(() -> init(new DmarcPolicyIs(), "DmarcPolicyIs", "bounce"))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("bounce")
                .hasMessageContaining("use none, quarantine or reject");
        assertThatThrownBy(() -> init(new DmarcPolicyIs(), "DmarcPolicyIs", ""))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("DmarcPolicyIs: a condition is required");
    }
}

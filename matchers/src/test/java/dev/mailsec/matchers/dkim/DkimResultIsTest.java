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

class DkimResultIsTest {

    private static DkimResultIs matcher(String condition) throws MessagingException {
        DkimResultIs matcher = new DkimResultIs();
        matcher.init(
                FakeMatcherConfig.builder()
                        .matcherName("DkimResultIs")
                        .condition(condition)
                        .build());
        return matcher;
    }

    @Test
    void matchesOnlyASignatureOfTheNamedDomainWithTheResult() throws Exception {
        Mail mail =
                mail(
                        sig(DkimResult.FAIL, "bank.example", Alignment.NONE),
                        sig(DkimResult.PASS, "list.example", Alignment.NONE));

        assertThat(matcher("fail@bank.example").match(mail)).hasSize(1);
        assertThat(matcher("pass@bank.example").match(mail)).isEmpty();
        assertThat(matcher("permerror").match(mail)).isEmpty();
    }

    @Test
    void conditionIsRequired() {
        assertThatThrownBy(() -> matcher(" "))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("DkimResultIs: a condition is required");
    }

    @Test
    void unknownResultFailsTheStartNamingTheAllowedOnes() {
        assertThatThrownBy(() -> matcher("pass,passed"))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("DkimResultIs: ")
                .hasMessageContaining("passed")
                .hasMessageContaining(
                        "use pass, fail, neutral, policy, temperror, permerror or none");
    }

    @Test
    void badDomainFailsTheStart() {
        assertThatThrownBy(() -> matcher("pass@bank example"))
                .isInstanceOf(MessagingException.class)
                .hasMessage("DkimResultIs: 'bank example' after '@' is not a domain name");
    }

    @Test
    void domainFollowsTheOneDomainNameRule() throws Exception {
        String longLabel = "a".repeat(64) + ".example";
        assertThatThrownBy(() -> matcher("pass@" + longLabel))
                .isInstanceOf(MessagingException.class)
                .hasMessage("DkimResultIs: '" + longLabel + "' after '@' is not a domain name");
        assertThat(matcher("pass@" + "a".repeat(63) + ".example")).isNotNull();
    }
}

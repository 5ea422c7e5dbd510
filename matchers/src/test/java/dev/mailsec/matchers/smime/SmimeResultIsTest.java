package dev.mailsec.matchers.smime;

import static dev.mailsec.matchers.smime.SmimeMails.mail;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailsec.smime.SmimeAttributeNames;
import javax.mail.MessagingException;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMatcherConfig;
import org.junit.jupiter.api.Test;

class SmimeResultIsTest {

    private static SmimeResultIs matcher(String condition) throws MessagingException {
        SmimeResultIs matcher = new SmimeResultIs();
        matcher.init(
                FakeMatcherConfig.builder()
                        .matcherName("SmimeResultIs")
                        .condition(condition)
                        .build());
        return matcher;
    }

    private static FakeMail verified(String result) throws Exception {
        FakeMail mail = mail("text/plain");
        mail.setAttribute(
                new Attribute(
                        AttributeName.of(SmimeAttributeNames.VERIFICATION_RESULT),
                        AttributeValue.of(result)));
        return mail;
    }

    @Test
    void matchesAListedResultOnly() throws Exception {
        SmimeResultIs failures = matcher("fail, PERMERROR");

        assertThat(failures.match(verified("fail"))).hasSize(2);
        assertThat(failures.match(verified("permerror"))).hasSize(2);
        assertThat(failures.match(verified("pass"))).isEmpty();
    }

    @Test
    void unverifiedOrUnknownResultNeverMatches() throws Exception {
        SmimeResultIs any = matcher("none,pass,fail,policy,neutral,temperror,permerror");

        assertThat(any.match(mail("text/plain"))).isEmpty();
        assertThat(any.match(verified("bogus"))).isEmpty();
    }

    @Test
    void conditionIsRequired() {
        assertThatThrownBy(() -> matcher(""))
                .isInstanceOf(MessagingException.class)
                .hasMessageStartingWith("SmimeResultIs: the condition must list results");
    }

    @Test
    void unknownResultFailsTheStart() {
        assertThatThrownBy(() -> matcher("fail,broken"))
                .isInstanceOf(MessagingException.class)
                .hasMessage(
                        "SmimeResultIs: unknown S/MIME result 'broken', expected none, pass, fail, policy, neutral,"
                                + " temperror or permerror");
    }

    @Test
    void smimeResultIsShouldMatchListedResultsOnly() throws Exception {
        SmimeResultIs matcher = new SmimeResultIs();
        matcher.init(
                FakeMatcherConfig.builder()
                        .matcherName("SmimeResultIs")
                        .condition("fail, permerror")
                        .build());
        FakeMail failed = mail("text/plain");
        failed.setAttribute(
                new Attribute(
                        AttributeName.of(SmimeAttributeNames.VERIFICATION_RESULT),
                        AttributeValue.of("fail")));
        FakeMail passed = mail("text/plain");
        passed.setAttribute(
                new Attribute(
                        AttributeName.of(SmimeAttributeNames.VERIFICATION_RESULT),
                        AttributeValue.of("pass")));
        assertThat(matcher.match(failed)).hasSize(2);
        assertThat(matcher.match(passed)).isEmpty();
        assertThat(matcher.match(mail("text/plain"))).isEmpty();
        assertThatThrownBy(
                        () ->
                                new SmimeResultIs()
                                        .init(
                                                FakeMatcherConfig.builder()
                                                        .matcherName("SmimeResultIs")
                                                        .condition("pass,good")
                                                        .build()))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("'good'");
    }
}

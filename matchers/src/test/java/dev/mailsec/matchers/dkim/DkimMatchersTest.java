package dev.mailsec.matchers.dkim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailsec.dkim.Alignment;
import dev.mailsec.dkim.DkimAttributeNames;
import dev.mailsec.dkim.DkimResult;
import dev.mailsec.dkim.DkimSignatureResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.mail.MessagingException;
import org.apache.james.core.MailAddress;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.Matcher;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMatcherConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DkimMatchersTest {

    static Object[] sig(DkimResult result, String domain, Alignment aligned) {
        return new Object[] {
            DkimSignatureResult.builder(result)
                    .domain(domain)
                    .selector("s")
                    .algorithm("rsa-sha256")
                    .build(),
            aligned
        };
    }

    /** The attribute as VerifyDkim writes it. */
    static Mail mail(Object[]... signatures) throws MessagingException {
        List<AttributeValue<?>> list = new ArrayList<>();
        for (Object[] s : signatures) {
            Map<String, AttributeValue<?>> entry = new HashMap<>();
            ((DkimSignatureResult) s[0])
                    .toMap()
                    .forEach((k, v) -> entry.put(k, AttributeValue.of(v)));
            entry.put(
                    DkimAttributeNames.ALIGNED_KEY,
                    AttributeValue.of(((Alignment) s[1]).keyword()));
            list.add(AttributeValue.of(entry));
        }
        return FakeMail.builder()
                .name("m")
                .recipient(new MailAddress("bob@example.org"))
                .attribute(
                        new Attribute(
                                AttributeName.of(DkimAttributeNames.RESULTS),
                                AttributeValue.of(list)))
                .build();
    }

    private static Matcher matcher(Matcher m, String name, String condition)
            throws MessagingException {
        m.init(FakeMatcherConfig.builder().matcherName(name).condition(condition).build());
        return m;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "fail, true",
        "'fail,permerror', true",
        "pass, true",
        "pass@example.com, true",
        "PASS@Example.COM, true",
        "pass@mail.example.com, false",
        "fail@example.com, false",
        "fail@example.org, true",
        "none, false",
        "'temperror,policy', false",
    })
    void dkimResultIsMatchesAnySignatureWithTheResult(String condition, boolean matches)
            throws Exception {
        Mail mail =
                mail(
                        sig(DkimResult.PASS, "example.com", Alignment.STRICT),
                        sig(DkimResult.FAIL, "example.org", Alignment.NONE));
        assertThat(matcher(new DkimResultIs(), "DkimResultIs", condition).match(mail))
                .hasSize(matches ? 1 : 0);
    }

    @Test
    void dkimResultIsNoneMatchesAnUnsignedMail() throws Exception {
        Mail unsigned = mail(sig(DkimResult.NONE, "", Alignment.NONE));
        assertThat(matcher(new DkimResultIs(), "DkimResultIs", "none").match(unsigned)).hasSize(1);
    }

    @Test
    void mailNotSeenByVerifyDkimNeverMatches() throws Exception {
        Mail plain =
                FakeMail.builder().name("m").recipient(new MailAddress("bob@example.org")).build();
        assertThat(matcher(new DkimResultIs(), "DkimResultIs", "none,fail").match(plain)).isEmpty();
        assertThat(matcher(new HasAlignedDkimPass(), "HasAlignedDkimPass", null).match(plain))
                .isEmpty();
        Mail foreign =
                FakeMail.builder()
                        .name("m")
                        .recipient(new MailAddress("bob@example.org"))
                        .attribute(
                                new Attribute(
                                        AttributeName.of(DkimAttributeNames.RESULTS),
                                        AttributeValue.of("pass")))
                        .build();
        assertThat(matcher(new DkimResultIs(), "DkimResultIs", "pass").match(foreign)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({
        "'', RELAXED, true",
        "relaxed, RELAXED, true",
        "strict, RELAXED, false",
        "strict, STRICT, true",
        "relaxed, NONE, false",
    })
    void hasAlignedDkimPassHonoursTheMode(String condition, Alignment aligned, boolean matches)
            throws Exception {
        Mail mail = mail(sig(DkimResult.PASS, "mail.example.com", aligned));
        assertThat(matcher(new HasAlignedDkimPass(), "HasAlignedDkimPass", condition).match(mail))
                .hasSize(matches ? 1 : 0);
    }

    @Test
    void anAlignedButFailingSignatureDoesNotCount() throws Exception {
        Mail mail = mail(sig(DkimResult.POLICY, "example.com", Alignment.STRICT));
        assertThat(matcher(new HasAlignedDkimPass(), "HasAlignedDkimPass", "relaxed").match(mail))
                .isEmpty();
    }

    @Test
    void badConditionsFailTheStart() {
        assertThatThrownBy(() -> matcher(new DkimResultIs(), "DkimResultIs", "passed"))
                .hasMessageStartingWith("DkimResultIs: not a DKIM result: 'passed'");
        assertThatThrownBy(() -> matcher(new DkimResultIs(), "DkimResultIs", ""))
                .hasMessageStartingWith("DkimResultIs: a condition is required");
        assertThatThrownBy(() -> matcher(new DkimResultIs(), "DkimResultIs", "pass@bad domain"))
                .hasMessage("DkimResultIs: 'bad domain' after '@' is not a domain name");
        assertThatThrownBy(() -> matcher(new HasAlignedDkimPass(), "HasAlignedDkimPass", "loose"))
                .hasMessage(
                        "HasAlignedDkimPass: the condition must be 'relaxed' or 'strict', got 'loose'");
    }
}

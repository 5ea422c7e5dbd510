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

class FromDomainIsTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "ceo@bank.test",
                "CEO <CEO@BANK.TEST>",
                "ceo@bank.test.",
                "\"x@evil.test\" <ceo@bank.test>",
                "<ceo@bank.test> (x@evil.test)",
                "x@evil.test, ceo@bank.test",
                "ceo@(a comment)bank.test",
                "ceo@ bank.test",
                "\"ceo@bank.test\" <x@evil.test>",
                "x@evil.test (ceo@bank.test)",
                "=?utf-8?q?ceo=40bank=2Etest?=",
                "=?utf-8?q?CEO?= <ceo@bank.test>",
                "ceo\uff20bank.test",
                "board: ceo@bank.test, cfo@bank.test;",
                "ceo@bank.test <unbalanced",
            })
    void matchShouldFindTheDomainAReaderSees(String from) throws Exception {
        Mail mail = mail("From: " + from + "\r\n");

        assertThat(matcher("bank.test").match(mail))
                .containsExactlyElementsOf(mail.getRecipients());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "ceo@evil.test",
                "ceo@bank.test.evil.test",
                "ceo@notbank.test",
                "Bank Test <ceo@evil.test>",
                "ceo@mail.bank.test",
            })
    void matchShouldNotMatchOtherDomains(String from) throws Exception {
        assertThat(matcher("bank.test").match(mail("From: " + from + "\r\n"))).isEmpty();
    }

    @Test
    void matchShouldReadEveryFromField() throws Exception {
        assertThat(matcher("bank.test").match(mail("From: x@evil.test\r\nFrom: ceo@bank.test\r\n")))
                .hasSize(1);
    }

    @Test
    void matchShouldReturnNothingWithoutFrom() throws Exception {
        assertThat(matcher("bank.test").match(mail(""))).isEmpty();
        assertThat(matcher("bank.test").match(mail("From: \r\n"))).isEmpty();
        assertThat(matcher("bank.test").match(mail("From: undisclosed\r\n"))).isEmpty();
    }

    @Test
    void wildcardShouldMatchSubdomainsOnly() throws Exception {
        FromDomainIs subdomains = matcher("*.bank.test");

        assertThat(subdomains.match(mail("From: ceo@mail.bank.test\r\n"))).hasSize(1);
        assertThat(subdomains.match(mail("From: ceo@a.b.BANK.test\r\n"))).hasSize(1);
        assertThat(subdomains.match(mail("From: ceo@bank.test\r\n"))).isEmpty();
        assertThat(subdomains.match(mail("From: ceo@xbank.test\r\n"))).isEmpty();
        assertThat(matcher("bank.test, *.bank.test").match(mail("From: ceo@bank.test\r\n")))
                .hasSize(1);
    }

    @Test
    void internationalisedNamesShouldBeComparedInAsciiForm() throws Exception {
        assertThat(matcher("b\u00fccher.test").match(mail("From: x@xn--bcher-kva.test\r\n")))
                .hasSize(1);
        assertThat(
                        matcher("xn--bcher-kva.test")
                                .match(mail("From: =?utf-8?q?x=40b=C3=BCcher=2Etest?=\r\n")))
                .hasSize(1);
    }

    @Test
    void initShouldFailNamingABadDomain() {
        assertThatThrownBy(() -> matcher(null))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("FromDomainIs");
        assertThatThrownBy(() -> matcher("bank test"))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("not a domain name: 'bank test'");
        assertThatThrownBy(() -> matcher("bank.test,"))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("not a domain name: ''");
        assertThatThrownBy(() -> matcher("*bank.test"))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("not a domain name: '*bank.test'");
    }

    @Test
    void matchShouldSeeADomainAfterLongPaddingInTheField() throws Exception {
        // a display name of 20,000 characters, folded into lines James accepts, then the claimed
        // address
        String padding = ("x".repeat(900) + "\r\n ").repeat(22);
        assertThat(
                        matcher("bank.test")
                                .match(mail("From: \"" + padding + "\" <ceo@bank.test>\r\n")))
                .hasSize(1);
    }

    @Test
    void matchShouldTreatAFieldTooLongToReadAsClaimingTheDomains() throws Exception {
        // longer than the matcher reads: what follows could claim anything, so it counts as
        // claiming
        String padding = ("x".repeat(900) + "\r\n ").repeat(80);
        assertThat(
                        matcher("bank.test")
                                .match(mail("From: \"" + padding + "\" <ceo@bank.test>\r\n")))
                .hasSize(1);
        assertThat(matcher("bank.test").match(mail("From: \"" + padding + "\" <a@evil.test>\r\n")))
                .hasSize(1);
    }

    static FromDomainIs matcher(String condition) throws MessagingException {
        FromDomainIs matcher = new FromDomainIs();
        matcher.init(
                FakeMatcherConfig.builder()
                        .matcherName("FromDomainIs")
                        .condition(condition)
                        .build());
        return matcher;
    }

    private static Mail mail(String fromFields) throws Exception {
        String raw = fromFields + "To: bob@mailsec.test\r\nSubject: wire money\r\n\r\nnow";
        MimeMessage m =
                new MimeMessage(
                        Session.getDefaultInstance(new Properties()),
                        new ByteArrayInputStream(raw.getBytes(StandardCharsets.UTF_8)));
        return FakeMail.builder().name("m").mimeMessage(m).recipient("bob@mailsec.test").build();
    }
}

package dev.mailsec.mailets.spf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailsec.spf.SpfDns;
import dev.mailsec.spf.ZoneFileSpfDns;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeUtility;
import org.apache.james.core.MailAddress;
import org.apache.james.core.builder.MimeMessageBuilder;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.Test;

class VerifySpfTest {

    private static final SpfDns ZONE =
            ZoneFileSpfDns.parse(
                    "$ORIGIN example.test.\n"
                            + "@ TXT \"v=spf1 ip4:192.0.2.0/24 -all\"\n"
                            + "mx1 TXT \"v=spf1 a -all\"\n"
                            + "mx1 A 192.0.2.25\n"
                            + "slow TXT \"TIMEOUT\"\n",
                    "test.zone");

    private static VerifySpf mailet(SpfDns dns, String... params) throws MessagingException {
        VerifySpf mailet = new VerifySpf(dns, Clock.systemUTC());
        FakeMailetConfig.Builder config =
                FakeMailetConfig.builder()
                        .mailetName("VerifySpf")
                        .setProperty("authservId", "mx.example.net");
        for (int i = 0; i < params.length; i += 2) {
            config.setProperty(params[i], params[i + 1]);
        }
        mailet.init(config.build());
        return mailet;
    }

    private static Mail mail(String ip, String sender, String helo) throws Exception {
        MimeMessage m =
                MimeMessageBuilder.mimeMessageBuilder()
                        .addHeader("Authentication-Results", "mx.example.net; spf=pass")
                        .setSubject("hi")
                        .setText("hello")
                        .build();
        FakeMail.Builder b =
                FakeMail.builder()
                        .name("m1")
                        .mimeMessage(m)
                        .state(Mail.DEFAULT)
                        .remoteAddr(ip)
                        .recipient("bob@example.org");
        if (sender != null) {
            b.sender(sender);
        }
        Mail mail = b.build();
        mail.setAttribute(new Attribute(Mail.SMTP_HELO, AttributeValue.of(helo)));
        return mail;
    }

    private static List<String> authResults(Mail mail) throws MessagingException {
        String[] values = mail.getMessage().getHeader("Authentication-Results");
        return values == null
                ? List.of()
                : Arrays.stream(values)
                        .map(v -> MimeUtility.unfold(v).replaceAll("\\s+", " "))
                        .collect(Collectors.toList());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> result(Mail mail, org.apache.mailet.AttributeName name) {
        Map<String, AttributeValue<?>> map =
                (Map<String, AttributeValue<?>>) mail.getAttribute(name).get().getValue().value();
        return map.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> (String) e.getValue().value()));
    }

    @Test
    void passIsRecordedInTheAttributeAndOurOneAuthenticationResults() throws Exception {
        Mail mail = mail("192.0.2.10", "alice@example.test", "mx1.example.test");
        mailet(ZONE).service(mail);
        // the forged field claiming our authserv-id is gone, ours says pass
        assertThat(authResults(mail))
                .containsExactly(
                        "mx.example.net; spf=pass (domain of alice@example.test designates"
                                + " 192.0.2.10 as permitted sender) smtp.mailfrom=alice@example.test");
        assertThat(result(mail, VerifySpf.RESULT))
                .containsEntry("result", "pass")
                .containsEntry("domain", "example.test")
                .containsEntry("scope", "mailfrom")
                .containsEntry("ip", "192.0.2.10")
                .containsEntry("helo", "mx1.example.test");
    }

    @Test
    void failAndNullSenderUsesHelo() throws Exception {
        Mail fail = mail("203.0.113.5", "alice@example.test", "x.example.test");
        mailet(ZONE).service(fail);
        assertThat(authResults(fail).get(0))
                .contains("spf=fail (domain of alice@example.test does not designate 203.0.113.5");
        Mail bounce = mail("192.0.2.25", null, "mx1.example.test");
        mailet(ZONE).service(bounce);
        assertThat(authResults(bounce).get(0)).endsWith("smtp.helo=mx1.example.test");
        assertThat(result(bounce, VerifySpf.RESULT))
                .containsEntry("result", "pass")
                .containsEntry("scope", "helo");
    }

    @Test
    void checkHeloAddsASecondResult() throws Exception {
        Mail mail = mail("192.0.2.25", "alice@example.test", "mx1.example.test");
        mailet(ZONE, "checkHelo", "true").service(mail);
        assertThat(authResults(mail).get(0))
                .contains("spf=pass")
                .contains("smtp.mailfrom=alice@example.test")
                .endsWith("smtp.helo=mx1.example.test");
        assertThat(result(mail, VerifySpf.HELO_RESULT)).containsEntry("scope", "helo");
    }

    @Test
    void dnsFaultIsTemperrorAndTheMailGoesOn() throws Exception {
        Mail mail = mail("192.0.2.10", "alice@slow.example.test", "h.example.test");
        mailet(ZONE).service(mail);
        assertThat(mail.getState()).isEqualTo(Mail.DEFAULT);
        assertThat(authResults(mail).get(0)).contains("spf=temperror");
        assertThat(result(mail, VerifySpf.RESULT)).containsEntry("result", "temperror");
    }

    @Test
    void badParametersFailTheStartNamingThem() {
        assertThatThrownBy(() -> mailet(null, "dnsTimeoutMillis", "soon"))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("dnsTimeoutMillis")
                .hasMessageContaining("soon");
        assertThatThrownBy(() -> mailet(null, "checkHelo", "maybe"))
                .hasMessageContaining("checkHelo")
                .hasMessageContaining("maybe");
        assertThatThrownBy(() -> mailet(null, "dnsServer", "127.0.0.1"))
                .hasMessageContaining("dnsServer");
        assertThatThrownBy(() -> mailet(null, "dnsServers", "resolver.example"))
                .hasMessageContaining("dnsServers: must be IP addresses, got 'resolver.example'");
        assertThatThrownBy(() -> mailet(null, "zoneFile", "/nonexistent/spf.zone"))
                .hasMessageContaining("zoneFile: cannot read '/nonexistent/spf.zone'");
    }

    @Test
    void mailWithoutClientAddressGetsNoVerdict() throws Exception {
        Mail mail = mail("not-an-ip", "alice@example.test", "h");
        mailet(ZONE).service(mail);
        assertThat(mail.getAttribute(VerifySpf.RESULT)).isEmpty();
        assertThat(new MailAddress("bob@example.org")).isIn(mail.getRecipients());
    }
}

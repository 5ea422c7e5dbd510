package dev.mailsec.mailets.dmarc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailsec.dkim.DkimAttributeNames;
import dev.mailsec.dkim.ZoneFileKeyRecordSource;
import dev.mailsec.dmarc.DmarcAttributeNames;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.internet.MimeMessage;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.Test;

class VerifyDmarcTest {

    private static final ZoneFileKeyRecordSource ZONE =
            ZoneFileKeyRecordSource.parse(
                    "$ORIGIN example.com.\n"
                            + "_dmarc IN TXT \"v=DMARC1; p=reject; rua=mailto:d@example.com\"\n",
                    "test");

    private static VerifyDmarc mailet(String... params) throws MessagingException {
        VerifyDmarc mailet = new VerifyDmarc(ZONE);
        FakeMailetConfig.Builder config =
                FakeMailetConfig.builder()
                        .mailetName("VerifyDmarc")
                        .setProperty("authservId", "mx.example.net");
        for (int i = 0; i < params.length; i += 2) {
            config.setProperty(params[i], params[i + 1]);
        }
        mailet.init(config.build());
        return mailet;
    }

    private static Mail mail(String from) throws Exception {
        String text =
                (from == null ? "" : "From: " + from + "\r\n")
                        + "Authentication-Results: mx.example.net; dmarc=pass (forged)\r\n"
                        + "To: bob@example.org\r\nSubject: hi\r\n\r\nbody\r\n";
        MimeMessage message =
                new MimeMessage(
                        Session.getInstance(new Properties()),
                        new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
        return FakeMail.builder()
                .name("m1")
                .mimeMessage(message)
                .recipient("bob@example.org")
                .remoteAddr("192.0.2.9")
                .build();
    }

    private static void dkim(Mail mail, String result, String d) {
        Map<String, AttributeValue<?>> sig = new HashMap<>();
        sig.put("result", AttributeValue.of(result));
        sig.put("d", AttributeValue.of(d));
        mail.setAttribute(
                new Attribute(
                        AttributeName.of(DkimAttributeNames.RESULTS),
                        AttributeValue.of(List.<AttributeValue<?>>of(AttributeValue.of(sig)))));
    }

    private static void strings(Mail mail, String name, String... kv) {
        Map<String, AttributeValue<?>> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], AttributeValue.of(kv[i + 1]));
        }
        mail.setAttribute(new Attribute(AttributeName.of(name), AttributeValue.of(m)));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> verdict(Mail mail) {
        Map<String, AttributeValue<?>> m =
                (Map<String, AttributeValue<?>>)
                        mail.getAttribute(VerifyDmarc.RESULT).orElseThrow().getValue().value();
        Map<String, String> out = new HashMap<>();
        m.forEach((k, v) -> out.put(k, (String) v.value()));
        return out;
    }

    private static String[] authResults(Mail mail) throws MessagingException {
        return mail.getMessage().getHeader("Authentication-Results");
    }

    @Test
    void alignedDkimPassShouldPassAndWriteEveryContractKey() throws Exception {
        Mail mail = mail("Alice <alice@example.com>");
        dkim(mail, "pass", "mail.example.com");
        mailet().service(mail);
        Map<String, String> v = verdict(mail);
        assertThat(v)
                .containsEntry("result", "pass")
                .containsEntry("fromDomain", "example.com")
                .containsEntry("orgDomain", "example.com")
                .containsEntry("policy", "reject")
                .containsEntry("disposition", "none")
                .containsEntry("override", "")
                .containsEntry("dkimAligned", "true")
                .containsEntry("spfAligned", "false")
                .containsEntry("rua", "mailto:d@example.com")
                .containsEntry("sourceIp", "192.0.2.9")
                .containsKey(DmarcAttributeNames.RECORD);
        assertThat(authResults(mail)).hasSize(1);
        assertThat(authResults(mail)[0])
                .contains("dmarc=pass")
                .contains("header.from=example.com")
                .contains("policy.dmarc=reject")
                .doesNotContain("forged");
    }

    @Test
    void missingSpfAndDkimShouldFailWithTheRejectDisposition() throws Exception {
        Mail mail = mail("alice@example.com");
        mailet().service(mail);
        assertThat(verdict(mail))
                .containsEntry("result", "fail")
                .containsEntry("disposition", "reject");
    }

    @Test
    void alignedSpfPassForMailFromShouldPass() throws Exception {
        Mail mail = mail("alice@example.com");
        strings(
                mail,
                "dev.mailsec.spf.result",
                "result",
                "pass",
                "domain",
                "example.com",
                "scope",
                "mailfrom");
        mailet().service(mail);
        assertThat(verdict(mail))
                .containsEntry("result", "pass")
                .containsEntry("spfAligned", "true");
    }

    @Test
    void trustedArcSealerShouldOverrideTheFail() throws Exception {
        Mail mail = mail("alice@example.com");
        dkim(mail, "fail", "example.com");
        strings(
                mail,
                "dev.mailsec.arc.result",
                "result",
                "pass",
                "instances",
                "1",
                "oldestPass",
                "0",
                "sealer.1",
                "lists.example.org",
                "aar.1",
                "lists.example.org; dkim=pass header.d=example.com");
        mailet("trustedArcSealers", "lists.example.org").service(mail);
        assertThat(verdict(mail))
                .containsEntry("result", "fail")
                .containsEntry("disposition", "none")
                .containsEntry("override", "arc");
        assertThat(authResults(mail)[0]).contains("policy.override=arc");
    }

    @Test
    void allowedNetworkShouldOverrideAsTrustedForwarder() throws Exception {
        Mail mail = mail("alice@example.com");
        mailet("allowNetworks", "10.0.0.0/8, 192.0.2.0/24").service(mail);
        assertThat(verdict(mail)).containsEntry("override", "trusted_forwarder");
    }

    @Test
    void mailWithoutFromShouldGetPermerror() throws Exception {
        Mail mail = mail(null);
        mailet().service(mail);
        assertThat(verdict(mail)).containsEntry("result", "permerror");
    }

    @Test
    void badParametersShouldFailTheStartNamingThem() {
        assertThatThrownBy(() -> mailet("orgDomain", "psd"))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("orgDomain")
                .hasMessageContaining("psd");
        assertThatThrownBy(() -> mailet("allowNetworks", "10.0.0.0/8, nonsense"))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("allowNetworks")
                .hasMessageContaining("nonsense");
        assertThatThrownBy(() -> mailet("trustedArcSealers", "a b"))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("trustedArcSealers");
        assertThatThrownBy(() -> mailet("sealers", "x"))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("sealers");
        assertThatThrownBy(() -> mailet("samplingSeed", "abc"))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("samplingSeed")
                .hasMessageContaining("abc");
    }
}

package dev.mailsec.smtp.dmarc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailsec.authentication.InboundAuthentication;
import dev.mailsec.authentication.InboundParameters;
import dev.mailsec.authentication.SmtpVerdicts;
import dev.mailsec.dkim.KeyLookup;
import dev.mailsec.dkim.KeyRecordSource;
import dev.mailsec.dmarc.DmarcSettings;
import dev.mailsec.spf.ZoneFileSpfDns;
import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import javax.mail.Session;
import javax.mail.internet.MimeMessage;
import org.apache.commons.configuration2.XMLConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.commons.configuration2.io.FileHandler;
import org.apache.james.core.MailAddress;
import org.apache.james.core.Username;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.junit.jupiter.api.Test;

class RefuseDmarcRejectTest {

    private static final String SPF_ZONE =
            "reject.example. 300 IN TXT \"v=spf1 ip4:192.0.2.1 -all\"\n";

    private static final Map<String, String> TXT =
            Map.of(
                    "_dmarc.reject.example", "v=DMARC1; p=reject",
                    "_dmarc.none.example", "v=DMARC1; p=none");

    private static RefuseDmarcReject hook(KeyRecordSource txt, boolean defer) {
        InboundAuthentication a =
                InboundParameters.of(
                        txt,
                        ZoneFileSpfDns.parse(SPF_ZONE, "test.zone"),
                        DmarcSettings.defaults(),
                        "");
        RefuseDmarcReject h = new RefuseDmarcReject();
        h.init(a, defer);
        return h;
    }

    private static RefuseDmarcReject hook() {
        return hook(
                name ->
                        TXT.containsKey(name)
                                ? KeyLookup.found(java.util.List.of(TXT.get(name)))
                                : KeyLookup.notFound("NXDOMAIN"),
                false);
    }

    private static Mail mail(String from, String raw) throws Exception {
        MimeMessage m =
                new MimeMessage(
                        Session.getInstance(new java.util.Properties()),
                        new ByteArrayInputStream(raw.getBytes(StandardCharsets.ISO_8859_1)));
        return FakeMail.builder()
                .name("m1")
                .sender(new MailAddress(from))
                .recipient("bob@example.net")
                .mimeMessage(m)
                .build();
    }

    private static String message(String from) {
        return "From: <" + from + ">\r\nTo: bob@example.net\r\nSubject: s\r\n\r\nbody\r\n";
    }

    @Test
    void aForgedMailFromAPRejectDomainIsRefusedWith550() throws Exception {
        HookResult r =
                hook().onMessage(
                                session("203.0.113.5"),
                                mail("a@reject.example", message("a@reject.example")));

        assertThat(r.getResult()).isEqualTo(HookReturnCode.deny());
        assertThat(r.getSmtpRetCode()).isEqualTo("550");
        assertThat(r.getSmtpDescription())
                .startsWith("5.7.1 Email rejected per DMARC policy for reject.example")
                .contains("p=reject");
    }

    @Test
    void spfPassFromTheDomainsServerIsAccepted() throws Exception {
        HookResult r =
                hook().onMessage(
                                session("192.0.2.1"),
                                mail("a@reject.example", message("a@reject.example")));

        assertThat(r).isEqualTo(HookResult.DECLINED);
    }

    @Test
    void anAcceptedMailCarriesTheVerdictsForTheMailets() throws Exception {
        Mail mail = mail("a@reject.example", message("a@reject.example"));

        assertThat(hook().onMessage(session("192.0.2.1"), mail)).isEqualTo(HookResult.DECLINED);

        @SuppressWarnings("unchecked")
        Map<String, AttributeValue<?>> handed =
                (Map<String, AttributeValue<?>>)
                        mail.getAttribute(VerdictsLeft.NAME).orElseThrow().getValue().value();
        assertThat(handed.keySet())
                .containsExactlyInAnyOrder(
                        SmtpVerdicts.FINGERPRINT,
                        SmtpVerdicts.DKIM,
                        SmtpVerdicts.SPF,
                        SmtpVerdicts.ARC,
                        SmtpVerdicts.DMARC);
        Map<String, AttributeValue<?>> dmarc =
                map(map(handed.get(SmtpVerdicts.DMARC)).get(SmtpVerdicts.RESULT));
        assertThat(dmarc.get("result").value()).isEqualTo("pass");
        assertThat(dmarc.get("fromDomain").value()).isEqualTo("reject.example");
        Map<String, AttributeValue<?>> spf =
                map(map(handed.get(SmtpVerdicts.SPF)).get(SmtpVerdicts.RESULT));
        assertThat(spf.get("result").value()).isEqualTo("pass");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, AttributeValue<?>> map(AttributeValue<?> v) {
        return (Map<String, AttributeValue<?>>) v.value();
    }

    @Test
    void aRefusedMailAndTheMailOfAnAuthenticatedUserCarryNothing() throws Exception {
        Mail refused = mail("a@reject.example", message("a@reject.example"));
        hook().onMessage(session("203.0.113.5"), refused);
        assertThat(refused.getAttribute(VerdictsLeft.NAME)).isEmpty();

        Mail ours = mail("a@reject.example", message("a@reject.example"));
        HookResult r = hook().onMessage(session("203.0.113.5", Username.of("a")), ours);

        // a submission of our own users is not judged here (signed later, in relay)
        assertThat(r).isEqualTo(HookResult.DECLINED);
        assertThat(ours.getAttribute(VerdictsLeft.NAME)).isEmpty();
    }

    @Test
    void aPNoneDomainAndADomainWithoutRecordAreAccepted() throws Exception {
        assertThat(
                        hook().onMessage(
                                        session("203.0.113.5"),
                                        mail("a@none.example", message("a@none.example"))))
                .isEqualTo(HookResult.DECLINED);
        assertThat(
                        hook().onMessage(
                                        session("203.0.113.5"),
                                        mail("a@nothing.example", message("a@nothing.example"))))
                .isEqualTo(HookResult.DECLINED);
    }

    @Test
    void aDnsTemperrorIsAcceptedUnlessDeferring() throws Exception {
        KeyRecordSource down = name -> KeyLookup.temporaryFailure("SERVFAIL");
        Mail mail = mail("a@reject.example", message("a@reject.example"));

        assertThat(hook(down, false).onMessage(session("203.0.113.5"), mail))
                .isEqualTo(HookResult.DECLINED);
        HookResult deferred = hook(down, true).onMessage(session("203.0.113.5"), mail);
        assertThat(deferred.getResult()).isEqualTo(HookReturnCode.denySoft());
        assertThat(deferred.getSmtpRetCode()).isEqualTo("451");
        assertThat(deferred.getSmtpDescription()).startsWith("4.7.0 ").contains("reject.example");
    }

    @Test
    void anEngineFailureNeverReachesTheSession() throws Exception {
        KeyRecordSource exploding =
                name -> {
                    throw new IllegalStateException("boom");
                };

        HookResult r =
                hook(exploding, true)
                        .onMessage(
                                session("203.0.113.5"),
                                mail("a@reject.example", message("a@reject.example")));

        assertThat(r).isEqualTo(HookResult.DECLINED);
    }

    @Test
    void initReadsTheMailetsParameterNamesAndNamesABadValue() throws Exception {
        new RefuseDmarcReject()
                .init(
                        xml(
                                "<dnsServers>127.0.0.1:5353</dnsServers>"
                                        + "<trustedArcSealers>lists.example.org</trustedArcSealers>"
                                        + "<allowNetworks>192.0.2.0/24</allowNetworks>"
                                        + "<deferOnTemperror>true</deferOnTemperror>"));
        assertThatThrownBy(
                        () ->
                                new RefuseDmarcReject()
                                        .init(xml("<allowNetworks>300.1.2.3/8</allowNetworks>")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("allowNetworks")
                .hasMessageContaining("300.1.2.3/8");
        new RefuseDmarcReject()
                .init(
                        xml(
                                "<minRsaBits>2048</minRsaBits><maxSignatures>3</maxSignatures>"
                                        + "<maxKeyLookups>8</maxKeyLookups>"));
        assertThatThrownBy(() -> new RefuseDmarcReject().init(xml("<minRsaBits>lots</minRsaBits>")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("minRsaBits")
                .hasMessageContaining("lots");
        assertThatThrownBy(
                        () -> new RefuseDmarcReject().init(xml("<maxKeyLookups>0</maxKeyLookups>")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("maxKeyLookups")
                .hasMessageContaining("'0'");
        // VerifyDkim's bodyLengthPolicy and clockDriftSeconds: same names, defaults, errors
        new RefuseDmarcReject()
                .init(
                        xml(
                                "<bodyLengthPolicy>accept</bodyLengthPolicy>"
                                        + "<clockDriftSeconds>0</clockDriftSeconds>"));
        assertThatThrownBy(
                        () ->
                                new RefuseDmarcReject()
                                        .init(
                                                xml(
                                                        "<bodyLengthPolicy>sometimes</bodyLengthPolicy>")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining(
                        "bodyLengthPolicy: must be 'policy' or 'accept', got 'sometimes'");
        assertThatThrownBy(
                        () ->
                                new RefuseDmarcReject()
                                        .init(xml("<clockDriftSeconds>-5</clockDriftSeconds>")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("clockDriftSeconds: must be between 0 and 1 day, got PT-5S");
        assertThatThrownBy(
                        () ->
                                new RefuseDmarcReject()
                                        .init(xml("<clockDriftSeconds>soon</clockDriftSeconds>")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("clockDriftSeconds")
                .hasMessageContaining("soon");
        assertThatThrownBy(() -> new RefuseDmarcReject().init(xml("<orgDomain>guess</orgDomain>")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("orgDomain")
                .hasMessageContaining("guess");
        assertThatThrownBy(() -> new RefuseDmarcReject().init(xml("<authservid>x</authservid>")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("unknown parameter 'authservid'");
        assertThatThrownBy(
                        () ->
                                new RefuseDmarcReject()
                                        .init(
                                                xml(
                                                        "<zoneFile>/nonexistent/z</zoneFile><dnsServers>127.0.0.1</dnsServers>")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("dnsServers");
    }

    private static SMTPSession session(String ip) {
        return session(ip, null);
    }

    private static SMTPSession session(String ip, Username user) {
        return (SMTPSession)
                Proxy.newProxyInstance(
                        RefuseDmarcRejectTest.class.getClassLoader(),
                        new Class<?>[] {SMTPSession.class},
                        (proxy, method, args) -> {
                            switch (method.getName()) {
                                case "getRemoteAddress":
                                    return new InetSocketAddress(ip, 40000);
                                case "getAttachment":
                                    return args[0] == SMTPSession.CURRENT_HELO_NAME
                                            ? Optional.of("client.example")
                                            : Optional.empty();
                                case "getSessionID":
                                    return "s1";
                                case "getUsername":
                                    return user;
                                default:
                                    throw new AssertionError("unexpected call " + method);
                            }
                        });
    }

    private static XMLConfiguration xml(String children) throws ConfigurationException {
        XMLConfiguration configuration = new XMLConfiguration();
        new FileHandler(configuration)
                .load(
                        new StringReader(
                                "<handler class=\"dev.mailsec.smtp.dmarc.RefuseDmarcReject\">"
                                        + children
                                        + "</handler>"));
        return configuration;
    }
}

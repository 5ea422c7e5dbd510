package dev.mailsec.mailets.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailsec.tls.connector.mtasts.MtaStsCache;
import dev.mailsec.tls.connector.mtasts.MtaStsPolicy;
import dev.mailsec.tls.connector.mtasts.MtaStsResolver;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import javax.mail.MessagingException;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExplainConnectorBounceTest {

    @TempDir Path dir;

    @Test
    void serviceShouldPutConnectorAndPolicyBeforeRemoteDeliveryError() throws Exception {
        Mail mail =
                FakeMail.builder()
                        .name("m")
                        .recipients("a@bank.test", "b@bank.test")
                        .errorMessage("Too many retries failure. Bouncing after 5 retries.")
                        .build();
        mail.setAttribute(
                new Attribute(
                        ExplainConnectorBounce.DELIVERY_ERROR,
                        AttributeValue.of("Too many retries failure. Bouncing after 5 retries.")));

        mailet().service(mail);

        String expected =
                "Not delivered to bank.test: outbound connector 'bank' allows delivery only with TLS "
                        + "(verify: STARTTLS required, certificate trusted and issued for the host, TLSv1.2 or newer), and no "
                        + "attempt succeeded under that policy. Too many retries failure. Bouncing after 5 retries.";
        assertThat(mail.getErrorMessage()).isEqualTo(expected);
        assertThat(
                        mail.getAttribute(ExplainConnectorBounce.DELIVERY_ERROR)
                                .map(Attribute::getValue))
                .contains(AttributeValue.of(expected));
    }

    @Test
    void serviceShouldListEachCoveredDomainOnce() throws Exception {
        Mail mail =
                FakeMail.builder()
                        .name("m")
                        .recipients("a@eu.bank.test", "b@bank.test", "c@eu.bank.test")
                        .errorMessage("x")
                        .build();

        mailet().service(mail);

        assertThat(mail.getErrorMessage())
                .startsWith("Not delivered to eu.bank.test, bank.test: outbound connector 'bank'");
    }

    @Test
    void serviceShouldLeaveBouncesOfUncoveredDomainsAlone() throws Exception {
        Mail mail =
                FakeMail.builder()
                        .name("m")
                        .recipient("a@other.test")
                        .errorMessage("550 no such user")
                        .build();

        mailet().service(mail);

        assertThat(mail.getErrorMessage()).isEqualTo("550 no such user");
        assertThat(mail.getAttribute(ExplainConnectorBounce.DELIVERY_ERROR)).isEmpty();
    }

    @Test
    void serviceShouldShowTheMtaStsPolicyTheDomainHad() throws Exception {
        // what RouteByMtaSts / MtaStsRemoteDelivery leave in the JVM's policy cache
        new MtaStsResolver(
                        name -> List.of("v=STSv1; id=42;"),
                        domain ->
                                MtaStsPolicy.parse(
                                        "version: STSv1\nmode: enforce\nmx: mx.sts-bounce.test\nmax_age: 600\n"),
                        Clock.systemUTC(),
                        MtaStsCache.shared())
                .resolve("sts-bounce.test");
        Path file =
                Files.write(
                        dir.resolve("sts.xml"),
                        ("<connectors><outbound name=\"sts\">"
                                        + "<recipientDomain>*</recipientDomain><tls level=\"mta-sts\" fallback=\"required\"/>"
                                        + "</outbound></connectors>")
                                .getBytes(StandardCharsets.UTF_8));
        ExplainConnectorBounce mailet = new ExplainConnectorBounce();
        mailet.init(
                FakeMailetConfig.builder()
                        .mailetName("ExplainConnectorBounce")
                        .setProperty("connectors", file.toString())
                        .build());
        Mail mail =
                FakeMail.builder()
                        .name("m")
                        .recipient("a@sts-bounce.test")
                        .errorMessage("No mail server found for: sts-bounce.test")
                        .build();

        mailet.service(mail);

        assertThat(mail.getErrorMessage())
                .startsWith(
                        "Not delivered to sts-bounce.test: outbound connector 'sts' delivers by MTA-STS (mta-sts: ")
                .contains("without an enforce policy required: STARTTLS required, any certificate)")
                .contains(
                        "; MTA-STS policy of sts-bounce.test: mode=enforce mx=[mx.sts-bounce.test] max_age=600 (id 42)")
                .endsWith("No mail server found for: sts-bounce.test");
    }

    @Test
    void serviceShouldSayADaneConnectorDeliversByDane() throws Exception {
        Path file =
                Files.write(
                        dir.resolve("dane.xml"),
                        ("<connectors><dane resolver=\"127.0.0.1\"/><outbound name=\"default\">"
                                        + "<recipientDomain>*</recipientDomain><tls level=\"dane\" fallback=\"required\"/>"
                                        + "</outbound></connectors>")
                                .getBytes(StandardCharsets.UTF_8));
        ExplainConnectorBounce mailet = new ExplainConnectorBounce();
        mailet.init(
                FakeMailetConfig.builder()
                        .mailetName("ExplainConnectorBounce")
                        .setProperty("connectors", file.toString())
                        .build());
        Mail mail =
                FakeMail.builder()
                        .name("m")
                        .recipient("a@dane-bounce.test")
                        .errorMessage("No mail server found for: dane-bounce.test")
                        .build();

        mailet.service(mail);

        assertThat(mail.getErrorMessage())
                .startsWith(
                        "Not delivered to dane-bounce.test: outbound connector 'default' delivers by DANE (dane: ")
                .endsWith("No mail server found for: dane-bounce.test");
    }

    @Test
    void initShouldRequireConnectors() {
        assertThatThrownBy(
                        () ->
                                new ExplainConnectorBounce()
                                        .init(FakeMailetConfig.builder().mailetName("x").build()))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("connectors is required");
    }

    private ExplainConnectorBounce mailet() throws Exception {
        Path file =
                Files.write(
                        dir.resolve("connectors.xml"),
                        ("<connectors><outbound name=\"bank\">"
                                        + "<recipientDomain>bank.test</recipientDomain><recipientDomain>*.bank.test</recipientDomain><tls level=\"verify\" minimumProtocol=\"TLSv1.2\"/>"
                                        + "</outbound></connectors>")
                                .getBytes(StandardCharsets.UTF_8));
        ExplainConnectorBounce mailet = new ExplainConnectorBounce();
        mailet.init(
                FakeMailetConfig.builder()
                        .mailetName("ExplainConnectorBounce")
                        .setProperty("connectors", file.toString())
                        .build());
        return mailet;
    }
}

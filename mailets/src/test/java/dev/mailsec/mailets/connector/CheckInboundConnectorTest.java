package dev.mailsec.mailets.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckInboundConnectorTest {

    private static final String CONNECTORS =
            "<connectors>"
                    + "<inbound name=\"partner\"><senderDomain>partner.test</senderDomain>"
                    + "<requires minimumProtocol=\"TLSv1.2\"/></inbound>"
                    + "<inbound name=\"certified\"><senderDomain>certified.test</senderDomain>"
                    + "<requires><clientCertificateName>DNS:relay.certified.test</clientCertificateName></requires></inbound>"
                    + "</connectors>";

    @TempDir Path dir;
    private Path file;

    @BeforeEach
    void writeConnectors() throws Exception {
        file =
                Files.write(
                        dir.resolve("connectors.xml"), CONNECTORS.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void serviceShouldRouteFromHeaderViolationToViolationProcessor() throws Exception {
        Mail mail = mail("bounces@mailer.test", "Partner <news@Partner.Test>");

        mailet().service(mail);

        assertThat(mail.getState()).isEqualTo("connector-violation");
        assertThat(attribute(mail, CheckInboundConnector.CONNECTOR)).isEqualTo("partner");
        assertThat(attribute(mail, CheckInboundConnector.VERDICT)).isEqualTo("violation");
        assertThat(attribute(mail, CheckInboundConnector.REASON))
                .isEqualTo("partner.test requires TLSv1.2 or newer (connector partner)");
    }

    @Test
    void serviceShouldLabelCompliantMailAndLeaveItsState() throws Exception {
        Mail mail = mail("a@partner.test", "a@partner.test");
        mail.setAttribute(
                new Attribute(
                        AttributeName.of("org.apache.james.ssl.protocol"),
                        AttributeValue.of("TLSv1.3")));
        mail.setAttribute(
                new Attribute(
                        AttributeName.of("org.apache.james.ssl.cipher"),
                        AttributeValue.of("TLS_AES_256_GCM_SHA384")));

        mailet().service(mail);

        assertThat(mail.getState()).isEqualTo(Mail.DEFAULT);
        assertThat(attribute(mail, CheckInboundConnector.CONNECTOR)).isEqualTo("partner");
        assertThat(attribute(mail, CheckInboundConnector.VERDICT)).isEqualTo("compliant");
    }

    @Test
    void serviceShouldReadClientCertificateNamesFromRecordTlsFactsAttributes() throws Exception {
        Mail mail = mail("a@certified.test", "a@certified.test");
        mail.setAttribute(
                new Attribute(
                        AttributeName.of("org.apache.james.ssl.protocol"),
                        AttributeValue.of("TLSv1.3")));
        mail.setAttribute(
                new Attribute(
                        AttributeName.of("dev.mailsec.tls.peer.subject"),
                        AttributeValue.of("CN=relay")));
        mail.setAttribute(
                new Attribute(
                        AttributeName.of("dev.mailsec.tls.peer.subjectAltNames"),
                        AttributeValue.of(List.of(AttributeValue.of("DNS:relay.certified.test")))));

        mailet().service(mail);

        assertThat(attribute(mail, CheckInboundConnector.VERDICT)).isEqualTo("compliant");
        assertThat(mail.getState()).isEqualTo(Mail.DEFAULT);
    }

    @Test
    void serviceShouldLeaveUncoveredMailUntouchedEvenWithHostileFromHeader() throws Exception {
        Mail mail = mail("a@other.test", "\"unterminated <@@@>, ,;<");

        mailet().service(mail);

        assertThat(mail.getState()).isEqualTo(Mail.DEFAULT);
        assertThat(mail.attributeNames()).isEmpty();
    }

    @Test
    void serviceShouldLeaveMailMadeByAMailetAlone() throws Exception {
        Mail forwarded = mail("a@partner.test", "a@partner.test");
        forwarded.setAttribute(Mail.SENT_BY_MAILET_ATTRIBUTE);

        mailet().service(forwarded);

        assertThat(forwarded.getState()).isEqualTo(Mail.DEFAULT);
        assertThat(forwarded.getAttribute(CheckInboundConnector.CONNECTOR)).isEmpty();
    }

    @Test
    void initShouldRequireBothParametersAndRejectOthers() {
        assertThatThrownBy(
                        () ->
                                init(
                                        FakeMailetConfig.builder()
                                                .setProperty("connectors", file.toString())))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("violationProcessor is required");
        assertThatThrownBy(
                        () ->
                                init(
                                        FakeMailetConfig.builder()
                                                .setProperty("violationProcessor", "x")))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("connectors is required");
        assertThatThrownBy(
                        () ->
                                init(
                                        FakeMailetConfig.builder()
                                                .setProperty("connectors", file.toString())
                                                .setProperty("violationProcessor", "x")
                                                .setProperty("processor", "y")))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("processor");
    }

    @Test
    void initShouldFailNamingTheBadField() throws Exception {
        Files.write(
                file,
                "<connectors><outbound name=\"b\"><recipientDomain>b.test</recipientDomain><tls level=\"maybe\"/></outbound></connectors>"
                        .getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(this::mailet)
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("outbound connector 'b': level:")
                .hasMessageContaining("got 'maybe'");
    }

    private CheckInboundConnector mailet() throws MessagingException {
        return init(
                FakeMailetConfig.builder()
                        .setProperty("connectors", file.toString())
                        .setProperty("violationProcessor", "connector-violation"));
    }

    private static CheckInboundConnector init(FakeMailetConfig.Builder config)
            throws MessagingException {
        CheckInboundConnector mailet = new CheckInboundConnector();
        mailet.init(config.mailetName("CheckInboundConnector").build());
        return mailet;
    }

    private static Mail mail(String sender, String from) throws Exception {
        MimeMessage message = new MimeMessage(Session.getInstance(new Properties()));
        message.setHeader("From", from);
        message.setSubject("s");
        message.setText("body");
        message.saveChanges();
        return FakeMail.builder()
                .name("m")
                .sender(sender)
                .recipient("bob@mailsec.test")
                .mimeMessage(message)
                .remoteAddr("198.51.100.1")
                .state(Mail.DEFAULT)
                .build();
    }

    private static Object attribute(Mail mail, AttributeName name) {
        return mail.getAttribute(name)
                .map(Attribute::getValue)
                .map(AttributeValue::value)
                .orElse(null);
    }
}

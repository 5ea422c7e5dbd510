package dev.mailsec.it.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailsec.it.harness.Delivery;
import dev.mailsec.it.harness.JamesExtension;
import dev.mailsec.it.harness.TestPki;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;
import org.bouncycastle.asn1.x509.GeneralName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Inbound connectors on a real James 3.8.1: the EnforceInboundConnectors hook refuses at MAIL FROM
 * what breaks a connector, the CheckInboundConnector mailet routes what only the From: header
 * reveals, and ConnectorIs labels covered mail; what a user sees is read over IMAP.
 */
class InboundConnectorTest {

    private static final String BOB = "bob@mailsec.test";
    private static final String PASSWORD = "secret";
    private static final Path CONNECTORS = writeConnectors();

    @RegisterExtension
    static JamesExtension james =
            JamesExtension.builder()
                    .user(BOB, PASSWORD)
                    .withClientAuthServer()
                    .extraSmtpHandlers(
                            "<handler class=\"dev.mailsec.smtp.connector.EnforceInboundConnectors\">"
                                    + "<connectors>"
                                    + CONNECTORS
                                    + "</connectors></handler>")
                    .rootMailets(
                            ""
                                    + "<mailet match=\"All\" class=\"RemoveMimeHeader\"><name>X-Connector,X-Connector-Violation</name></mailet>\n"
                                    + "<mailet match=\"All\" class=\"dev.mailsec.mailets.connector.CheckInboundConnector\">\n"
                                    + "  <connectors>"
                                    + CONNECTORS
                                    + "</connectors>\n"
                                    + "  <violationProcessor>connector-violation</violationProcessor>\n"
                                    + "</mailet>\n"
                                    + "<mailet match=\"dev.mailsec.matchers.connector.ConnectorIs=partner,"
                                    + CONNECTORS
                                    + "\" class=\"SetMimeHeader\">\n"
                                    + "  <name>X-Connector</name><value>partner</value>\n"
                                    + "</mailet>\n")
                    .extraProcessors(
                            ""
                                    + "<processor state=\"connector-violation\" enableJmx=\"false\">\n"
                                    + "  <mailet match=\"All\" class=\"SetMimeHeader\"><name>X-Connector-Violation</name><value>yes</value></mailet>\n"
                                    + "  <mailet match=\"All\" class=\"ToProcessor\"><processor>transport</processor></mailet>\n"
                                    + "</processor>\n")
                    .build();

    private static Path writeConnectors() {
        try {
            Path file = Files.createTempFile("mailsec-connectors-", ".xml");
            Files.write(
                    file,
                    ("<connectors>\n"
                                    + "  <inbound name=\"partner\">\n"
                                    + "    <senderDomain>partner.test</senderDomain>\n"
                                    + "    <requires tls=\"true\" minimumProtocol=\"TLSv1.2\"/>\n"
                                    + "  </inbound>\n"
                                    + "  <inbound name=\"modern\">\n"
                                    + "    <senderDomain>modern.test</senderDomain>\n"
                                    + "    <requires minimumProtocol=\"TLSv1.3\"/>\n"
                                    + "  </inbound>\n"
                                    + "  <inbound name=\"certified\">\n"
                                    + "    <senderDomain>certified.test</senderDomain>\n"
                                    + "    <requires clientCertificate=\"true\">\n"
                                    + "      <clientCertificateName>DNS:relay.certified.test</clientCertificateName>\n"
                                    + "    </requires>\n"
                                    + "  </inbound>\n"
                                    + "</connectors>\n")
                            .getBytes(StandardCharsets.UTF_8));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    static void deleteConnectors() throws IOException {
        Files.deleteIfExists(CONNECTORS);
    }

    @Test
    void partnerInClearShouldBeRefusedAtSmtpTime() {
        assertThatThrownBy(
                        () ->
                                james.send(
                                        Delivery.plain()
                                                .from("a@partner.test")
                                                .to(BOB)
                                                .subject(subject())))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining(
                        "530 5.7.10 partner.test requires TLSv1.2 or newer (connector partner)");
    }

    @Test
    void partnerOverStartTlsShouldBeDeliveredAndLabelled() throws Exception {
        String subject = subject();
        james.send(
                Delivery.startTls()
                        .protocols("TLSv1.2")
                        .from("a@partner.test")
                        .to(BOB)
                        .subject(subject));

        MimeMessage read = james.awaitMessage(BOB, PASSWORD, subject);
        assertThat(read.getHeader("X-Connector")).containsExactly("partner");
        assertThat(read.getHeader("X-Connector-Violation")).isNull();
    }

    @Test
    void mailCoveredByNoConnectorShouldBeDeliveredInClear() throws Exception {
        String subject = subject();
        james.send(Delivery.plain().from("a@elsewhere.test").to(BOB).subject(subject));

        MimeMessage read = james.awaitMessage(BOB, PASSWORD, subject);
        assertThat(read.getHeader("X-Connector")).isNull();
        assertThat(read.getHeader("X-Connector-Violation")).isNull();
    }

    @Test
    void tls13MinimumShouldRefuseTls12ClientAndAcceptTls13() throws Exception {
        assertThatThrownBy(
                        () ->
                                james.send(
                                        Delivery.startTls()
                                                .protocols("TLSv1.2")
                                                .from("a@modern.test")
                                                .to(BOB)
                                                .subject(subject())))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining(
                        "530 5.7.10 modern.test requires TLSv1.3 or newer, got TLSv1.2 (connector modern)");

        String subject = subject();
        james.send(
                Delivery.startTls()
                        .protocols("TLSv1.3")
                        .from("a@modern.test")
                        .to(BOB)
                        .subject(subject));
        assertThat(james.awaitMessage(BOB, PASSWORD, subject).getSubject()).isEqualTo(subject);
    }

    @Test
    void clientCertificateConnectorShouldRefuseWithoutCertificateOrWithWrongName() {
        assertThatThrownBy(
                        () ->
                                james.send(
                                        Delivery.startTls()
                                                .from("a@certified.test")
                                                .to(BOB)
                                                .subject(subject())))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining(
                        "530 5.7.0 certified.test requires a client certificate (connector certified)");

        TestPki.Identity intruder =
                james.pki()
                        .client(
                                "CN=intruder,O=elsewhere",
                                new GeneralName(GeneralName.dNSName, "intruder.test"));
        assertThatThrownBy(
                        () ->
                                james.send(
                                        Delivery.startTlsWithClientCertificate(intruder)
                                                .from("a@certified.test")
                                                .to(BOB)
                                                .subject(subject())))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining(
                        "550 5.7.1 certified.test requires a client certificate for "
                                + "DNS:relay.certified.test (connector certified)");
    }

    @Test
    void clientCertificateConnectorShouldAcceptTheNamedCertificate() throws Exception {
        TestPki.Identity relay =
                james.pki()
                        .client(
                                "CN=relay,O=certified",
                                new GeneralName(GeneralName.dNSName, "relay.certified.test"));
        String subject = subject();
        james.send(
                Delivery.startTlsWithClientCertificate(relay)
                        .from("a@certified.test")
                        .to(BOB)
                        .subject(subject));

        assertThat(james.awaitMessage(BOB, PASSWORD, subject).getSubject()).isEqualTo(subject);
    }

    @Test
    void fromHeaderOfPartnerInClearShouldBeRoutedToViolationProcessorAfterAcceptance()
            throws Exception {
        String subject = subject();
        james.send(
                Delivery.plain()
                        .from("bounces@mailer.test")
                        .header("From", "Partner <news@partner.test>")
                        .to(BOB)
                        .subject(subject));

        MimeMessage read = james.awaitMessage(BOB, PASSWORD, subject);
        assertThat(read.getHeader("X-Connector-Violation")).containsExactly("yes");
    }

    private static String subject() {
        return "connector " + UUID.randomUUID();
    }
}

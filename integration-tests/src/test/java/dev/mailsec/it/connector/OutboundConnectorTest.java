package dev.mailsec.it.connector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsec.it.harness.ConnectorFixture;
import dev.mailsec.it.harness.Delivery;
import dev.mailsec.it.harness.JamesExtension;
import dev.mailsec.tls.connector.RemoteDeliveryPlan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Outbound connectors on a real James 3.8.1: each connector's mail goes through a RemoteDelivery
 * configured from {@link RemoteDeliveryPlan}, to partners on loopback: a good one, one without
 * STARTTLS, one whose certificate names another host, one whose certificate has expired, one
 * offering only TLS 1.2, and a STARTTLS-stripping proxy in front of a good one. Compliant partners
 * receive the mail over TLS; for the others James retries, then bounces to the sender with a DSN,
 * and the partner never receives the mail.
 */
class OutboundConnectorTest {

    private static final String BOB = "bob@mailsec.test";
    private static final String PASSWORD = "secret";
    private static final Duration DSN_WAIT = Duration.ofSeconds(60);

    private static final Partners PARTNERS = Partners.start();

    @RegisterExtension
    static JamesExtension james =
            JamesExtension.builder()
                    .user(BOB, PASSWORD)
                    .rootMailets(PARTNERS.fixture.routingSteps())
                    .extraProcessors(PARTNERS.fixture.processors())
                    .build();

    /** The partner servers and the connector fixture naming them. */
    static final class Partners {
        final PartnerSmtpServer good;
        final PartnerSmtpServer goodBehindProxy;
        final StartTlsStrippingProxy proxy;
        final PartnerSmtpServer noStartTls;
        final PartnerSmtpServer wrongName;
        final PartnerSmtpServer expired;
        final PartnerSmtpServer tls12Only;
        final ConnectorFixture fixture;

        private Partners() throws Exception {
            PartnerPki pki = new PartnerPki();
            good = PartnerSmtpServer.withStartTls(pki.validServer("localhost"));
            goodBehindProxy = PartnerSmtpServer.withStartTls(pki.validServer("localhost"));
            proxy = new StartTlsStrippingProxy(goodBehindProxy.port());
            noStartTls = PartnerSmtpServer.withoutStartTls();
            wrongName = PartnerSmtpServer.withStartTls(pki.validServer("wrong.test"));
            expired =
                    PartnerSmtpServer.withStartTls(
                            pki.serverContext(
                                    "localhost", Duration.ofDays(-3), Duration.ofDays(-1)));
            tls12Only = PartnerSmtpServer.withStartTls(pki.validServer("localhost"), "TLSv1.2");
            Path connectorsFile = Files.createTempFile("mailsec-outbound-connectors-", ".xml");
            fixture =
                    ConnectorFixture.builder()
                            .trustByDefault(pki.trustingClientContext())
                            .connectors(
                                    connectorsFile,
                                    outbound("good", "verify", "", good.port()),
                                    outbound("nostarttls", "verify", "", noStartTls.port()),
                                    outbound("wrongname", "verify", "", wrongName.port()),
                                    outbound("expired", "verify", "", expired.port()),
                                    outbound(
                                            "oldproto",
                                            "verify",
                                            "minimumProtocol=\"TLSv1.3\"",
                                            tls12Only.port()),
                                    outbound(
                                            "tls12ok",
                                            "verify",
                                            "minimumProtocol=\"TLSv1.2\"",
                                            tls12Only.port()),
                                    outbound("stripped", "verify", "", proxy.port()),
                                    outbound("anycert", "required", "", wrongName.port()),
                                    outbound(
                                            "opportunistic",
                                            "opportunistic",
                                            "",
                                            noStartTls.port()))
                            .closing(
                                    good,
                                    goodBehindProxy,
                                    proxy,
                                    noStartTls,
                                    wrongName,
                                    expired,
                                    tls12Only,
                                    () -> Files.deleteIfExists(connectorsFile))
                            .build();
        }

        private static String outbound(String name, String level, String minimum, int port) {
            return ConnectorFixture.outbound(name, port, "level=\"" + level + "\" " + minimum, "");
        }

        static Partners start() {
            try {
                return new Partners();
            } catch (Exception e) {
                throw new IllegalStateException("cannot start the partner servers", e);
            }
        }

        void close() throws Exception {
            fixture.close();
        }
    }

    @AfterAll
    static void stopPartners() throws Exception {
        PARTNERS.close();
    }

    @Test
    void goodPartnerShouldReceiveOverVerifiedTls() throws Exception {
        String recipient = send("good");

        List<PartnerSmtpServer.Received> received = awaitReceived(PARTNERS.good, recipient);
        assertThat(received).hasSize(1);
        assertThat(received.get(0).protocol).isEqualTo("TLSv1.3");
    }

    @Test
    void minimumTls12ShouldDeliverToTls12Partner() throws Exception {
        String recipient = send("tls12ok");

        assertThat(awaitReceived(PARTNERS.tls12Only, recipient).get(0).protocol)
                .isEqualTo("TLSv1.2");
    }

    @Test
    void requiredLevelShouldAcceptAnyCertificateButStillEncrypt() throws Exception {
        String recipient = send("anycert");

        assertThat(awaitReceived(PARTNERS.wrongName, recipient).get(0).protocol)
                .startsWith("TLSv1.");
    }

    @Test
    void opportunisticLevelShouldFallBackToClearTextLikePostfixMay() throws Exception {
        String recipient = send("opportunistic");

        assertThat(awaitReceived(PARTNERS.noStartTls, recipient).get(0).protocol)
                .isEqualTo("clear");
    }

    @Test
    void partnerWithoutStartTlsShouldGetNothingAndSenderADsn() throws Exception {
        assertHeldThenBounced("nostarttls", PARTNERS.noStartTls);
    }

    @Test
    void partnerWithCertificateForAnotherNameShouldGetNothingAndSenderADsn() throws Exception {
        assertHeldThenBounced("wrongname", PARTNERS.wrongName);
    }

    @Test
    void partnerWithExpiredCertificateShouldGetNothingAndSenderADsn() throws Exception {
        assertHeldThenBounced("expired", PARTNERS.expired);
    }

    @Test
    void partnerOfferingOnlyAnOlderProtocolShouldGetNothingAndSenderADsn() throws Exception {
        assertHeldThenBounced("oldproto", PARTNERS.tls12Only);
    }

    @Test
    void startTlsStrippingProxyShouldNotMakeUsSendInClear() throws Exception {
        assertHeldThenBounced("stripped", PARTNERS.goodBehindProxy);
    }

    private static void assertHeldThenBounced(String connector, PartnerSmtpServer partner)
            throws Exception {
        int connectionsBefore = partner.connections();
        String recipient = send(connector);

        String dsn =
                Inbox.awaitMessageContaining(
                        james.harness().imapPort(), BOB, PASSWORD, recipient, DSN_WAIT);
        assertThat(dsn)
                .contains("multipart/report")
                .contains("message/delivery-status")
                .contains("Final-Recipient: rfc822; " + recipient)
                .contains("Action: failed")
                .contains(
                        "outbound connector '"
                                + connector
                                + "' allows delivery only with TLS (verify: STARTTLS required,");
        assertThat(partner.receivedFor(recipient)).isEmpty();
        assertThat(partner.connections() - connectionsBefore)
                .as("delivery attempts (first try and one retry)")
                .isGreaterThanOrEqualTo(2);
    }

    private static String send(String connector) throws Exception {
        String recipient = "user-" + UUID.randomUUID() + "@" + connector + ".test";
        james.send(Delivery.plain().from(BOB).to(recipient).subject("to " + connector));
        return recipient;
    }

    private static List<PartnerSmtpServer.Received> awaitReceived(
            PartnerSmtpServer partner, String recipient) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(30);
        while (partner.receivedFor(recipient).isEmpty() && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
        }
        assertThat(partner.receivedFor(recipient))
                .as("messages the partner received for " + recipient)
                .isNotEmpty();
        return partner.receivedFor(recipient);
    }
}

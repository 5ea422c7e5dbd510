package dev.mailsec.it.connector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsec.it.harness.ConnectorFixture;
import dev.mailsec.it.harness.Delivery;
import dev.mailsec.it.harness.JamesExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The generic outbound route on a real James 3.8.1 (issue 14, item 10): one {@code
 * RecipientConnectorIs=*} step and one {@code connectors-outbound} processor holding {@code
 * ConnectorsRemoteDelivery}, and nothing written per connector. Connectors added to the file are
 * enforced as declared: a {@code required} connector whose relay sits behind a STARTTLS-stripping
 * proxy gets nothing (held, retried, bounced with a DSN naming the connector), never the mail in
 * clear; a {@code required} connector to a good partner receives it over TLS. Before this route
 * existed, such a connector without its own generated processor was delivered by the general
 * RemoteDelivery, in clear through the proxy. Partners listen on free loopback ports.
 */
class GenericConnectorRouteTest {

    private static final String BOB = "bob@mailsec.test";
    private static final String PASSWORD = "secret";

    private static final Partners PARTNERS = Partners.start();

    @RegisterExtension
    static JamesExtension james =
            JamesExtension.builder()
                    .user(BOB, PASSWORD)
                    .rootMailets(
                            "<mailet match=\"dev.mailsec.matchers.connector.RecipientConnectorIs=*,"
                                    + PARTNERS.fixture.connectorsFile()
                                    + "\" class=\"ToProcessor\">\n  <processor>connectors-outbound</processor>\n</mailet>\n")
                    .extraProcessors(
                            "<processor state=\"connectors-outbound\" enableJmx=\"false\">\n"
                                    + "  <mailet match=\"All\" class=\"dev.mailsec.mailets.connector.ConnectorsRemoteDelivery\">\n"
                                    + "    <connectors>"
                                    + PARTNERS.fixture.connectorsFile()
                                    + "</connectors>\n"
                                    + "    <bounceProcessor>bounces</bounceProcessor>\n"
                                    + "    <delayTime>1000</delayTime>\n"
                                    + "    <maxRetries>1</maxRetries>\n"
                                    + "  </mailet>\n"
                                    + "</processor>\n"
                                    + ConnectorFixture.bouncesProcessor(
                                            PARTNERS.fixture.connectorsFile()))
                    .build();

    /**
     * A good partner, another one behind a STARTTLS-stripping proxy, and the connectors file naming
     * them.
     */
    static final class Partners {
        final PartnerSmtpServer good;
        final PartnerSmtpServer behindProxy;
        final StartTlsStrippingProxy proxy;
        final ConnectorFixture fixture;

        private Partners() throws Exception {
            PartnerPki pki = new PartnerPki();
            good = PartnerSmtpServer.withStartTls(pki.validServer("localhost"));
            behindProxy = PartnerSmtpServer.withStartTls(pki.validServer("localhost"));
            proxy = new StartTlsStrippingProxy(behindProxy.port());
            Path connectorsFile = Files.createTempFile("mailsec-generic-route-", ".xml");
            fixture =
                    ConnectorFixture.builder()
                            .connectors(
                                    connectorsFile,
                                    outbound("good", good.port()),
                                    outbound("strict", proxy.port()))
                            .closing(
                                    good,
                                    behindProxy,
                                    proxy,
                                    () -> Files.deleteIfExists(connectorsFile))
                            .build();
        }

        private static String outbound(String name, int port) {
            return ConnectorFixture.outbound(name, port, "level=\"required\"", "");
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
    void requiredConnectorBehindStartTlsStrippingProxyShouldGetNothingAndSenderADsn()
            throws Exception {
        int connectionsBefore = PARTNERS.behindProxy.connections();
        String recipient = send("strict");

        String dsn;
        try {
            dsn =
                    Inbox.awaitMessageContaining(
                            james.harness().imapPort(),
                            BOB,
                            PASSWORD,
                            recipient,
                            Duration.ofSeconds(60));
        } catch (AssertionError noDsn) {
            // no DSN: say whether the mail went through the stripping proxy, and how
            assertThat(PARTNERS.behindProxy.receivedFor(recipient))
                    .extracting(received -> received.protocol)
                    .as("protocols of the deliveries through the STARTTLS-stripping proxy")
                    .isEmpty();
            throw noDsn;
        }
        assertThat(dsn)
                .contains("message/delivery-status")
                .contains("Final-Recipient: rfc822; " + recipient)
                .contains("Action: failed")
                .contains(
                        "outbound connector 'strict' allows delivery only with TLS (required: STARTTLS required");
        assertThat(PARTNERS.behindProxy.receivedFor(recipient))
                .as("mail the relay behind the proxy received")
                .isEmpty();
        assertThat(PARTNERS.behindProxy.connections() - connectionsBefore)
                .as("delivery attempts (first try and one retry)")
                .isGreaterThanOrEqualTo(2);
    }

    @Test
    void requiredConnectorShouldReceiveOverTlsThroughTheSameRoute() throws Exception {
        String recipient = send("good");

        Instant deadline = Instant.now().plusSeconds(30);
        while (PARTNERS.good.receivedFor(recipient).isEmpty() && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
        }
        assertThat(PARTNERS.good.receivedFor(recipient))
                .singleElement()
                .satisfies(received -> assertThat(received.protocol).startsWith("TLSv1."));
    }

    private static String send(String connector) throws Exception {
        String recipient = "user-" + UUID.randomUUID() + "@" + connector + ".test";
        james.send(Delivery.plain().from(BOB).to(recipient).subject("to " + connector));
        return recipient;
    }
}

package dev.mailsec.it.connector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsec.it.harness.ConnectorFixture;
import dev.mailsec.it.harness.Delivery;
import dev.mailsec.it.harness.JamesExtension;
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
 * A {@code verify} connector's own trust store and expected names on a real James 3.8.1. James's
 * JVM trusts only the "public" CA; the partners' certificates come from a private CA, which the
 * connectors trust through their own {@code trustStore} (PEM or PKCS12). {@code expectedName}
 * checks the certificate against a configured name instead of the smart host's name ({@code
 * localhost} here).
 */
class ConnectorTrustTest {

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

    static final class Partners {
        final Path dir;
        final PartnerSmtpServer privateCa;
        final PartnerSmtpServer privateCaAgain;
        final PartnerSmtpServer relayName;
        final PartnerSmtpServer relayNameAgain;
        final ConnectorFixture fixture;

        private Partners() throws Exception {
            PartnerPki publicCa = new PartnerPki();
            PartnerPki partnerCa = new PartnerPki();
            dir = Files.createTempDirectory("mailsec-connector-trust-");
            Path partnerPem = dir.resolve("partner-ca.pem");
            partnerCa.writeCaPem(partnerPem);
            Path publicPem = dir.resolve("public-ca.pem");
            publicCa.writeCaPem(publicPem);
            Path partnerP12 = dir.resolve("partner-ca.p12");
            partnerCa.writeTrustStore(partnerP12, "p12-pass".toCharArray());

            ConnectorFixture.Builder fixtureBuilder =
                    ConnectorFixture.builder().trustByDefault(publicCa.trustingClientContext());
            privateCa = PartnerSmtpServer.withStartTls(partnerCa.validServer("localhost"));
            privateCaAgain = PartnerSmtpServer.withStartTls(partnerCa.validServer("localhost"));
            relayName = PartnerSmtpServer.withStartTls(partnerCa.validServer("relay.partner.test"));
            relayNameAgain =
                    PartnerSmtpServer.withStartTls(partnerCa.validServer("relay.partner.test"));

            fixture =
                    fixtureBuilder
                            .connectors(
                                    dir.resolve("connectors.xml"),
                                    outbound(
                                            "ownca",
                                            privateCa.port(),
                                            "trustStore=\"" + partnerPem + "\"",
                                            ""),
                                    outbound(
                                            "otherca",
                                            privateCaAgain.port(),
                                            "trustStore=\"" + publicPem + "\"",
                                            ""),
                                    outbound(
                                            "named",
                                            relayName.port(),
                                            "trustStore=\""
                                                    + partnerP12
                                                    + "\" trustStorePassword=\"p12-pass\"",
                                            "<expectedName>relay.partner.test</expectedName>"),
                                    outbound(
                                            "misnamed",
                                            relayNameAgain.port(),
                                            "trustStore=\"" + partnerPem + "\"",
                                            "<expectedName>mx.partner.test</expectedName>"))
                            .locatedPlans()
                            .closing(privateCa, privateCaAgain, relayName, relayNameAgain)
                            .build();
        }

        private static String outbound(String name, int port, String trust, String names) {
            return ConnectorFixture.outbound(name, port, "level=\"verify\" " + trust, names);
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
    void connectorTrustStoreShouldVerifyAPartnerTheJvmDoesNotTrust() throws Exception {
        String recipient = send("ownca");

        assertThat(awaitReceived(PARTNERS.privateCa, recipient).get(0).protocol)
                .isEqualTo("TLSv1.3");
    }

    @Test
    void partnerOutsideTheConnectorTrustStoreShouldGetNothingAndSenderADsn() throws Exception {
        assertHeldThenBounced(
                "otherca",
                PARTNERS.privateCaAgain,
                "certificate trusted by the connector's trust store");
    }

    @Test
    void expectedNameShouldBeCheckedInsteadOfTheSmartHostName() throws Exception {
        String recipient = send("named");

        assertThat(awaitReceived(PARTNERS.relayName, recipient).get(0).protocol)
                .isEqualTo("TLSv1.3");
    }

    @Test
    void certificateWithoutTheExpectedNameShouldGetNothingAndSenderADsn() throws Exception {
        assertHeldThenBounced("misnamed", PARTNERS.relayNameAgain, "issued for mx.partner.test");
    }

    private static void assertHeldThenBounced(
            String connector, PartnerSmtpServer partner, String policy) throws Exception {
        int connectionsBefore = partner.connections();
        String recipient = send(connector);

        String dsn =
                Inbox.awaitMessageContaining(
                        james.harness().imapPort(), BOB, PASSWORD, recipient, DSN_WAIT);
        assertThat(dsn)
                .contains("Action: failed")
                .contains(
                        "outbound connector '"
                                + connector
                                + "' allows delivery only with TLS (verify:")
                .contains(policy);
        assertThat(partner.receivedFor(recipient)).isEmpty();
        assertThat(partner.connections() - connectionsBefore)
                .as("delivery attempts")
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

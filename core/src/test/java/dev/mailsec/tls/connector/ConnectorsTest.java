package dev.mailsec.tls.connector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsec.tls.TlsFacts;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConnectorsTest {

    private static final String FILE =
            "<connectors>"
                    + "<inbound name=\"certified\">"
                    + "  <clientCertificate>DNS:relay.certified.test</clientCertificate>"
                    + "  <senderDomain>certified.test</senderDomain>"
                    + "  <requires clientCertificate=\"true\"><clientCertificateName>DNS:relay.certified.test</clientCertificateName></requires>"
                    + "</inbound>"
                    + "<inbound name=\"partner\">"
                    + "  <senderDomain>partner.test</senderDomain>"
                    + "  <requires minimumProtocol=\"TLSv1.2\"/>"
                    + "</inbound>"
                    + "<inbound name=\"network\">"
                    + "  <clientNetwork>203.0.113.0/24</clientNetwork>"
                    + "  <requires tls=\"true\"><cipherSuite>TLS_AES_256_GCM_SHA384</cipherSuite></requires>"
                    + "</inbound>"
                    + "<inbound name=\"modern\">"
                    + "  <senderDomain>modern.test</senderDomain>"
                    + "  <requires minimumProtocol=\"TLSv1.3\"/>"
                    + "</inbound>"
                    + "</connectors>";

    private final Connectors connectors;

    ConnectorsTest() throws Exception {
        connectors = ConnectorsFileTest.parse(FILE);
    }

    @Test
    void mailCoveredByNoConnectorShouldBeUnaffected() throws Exception {
        InboundVerdict verdict =
                connectors.evaluate(
                        InboundSession.atMailFrom(
                                address("198.51.100.1"),
                                Optional.of("stranger.test"),
                                Optional.empty()));
        assertThat(verdict.status()).isEqualTo(InboundVerdict.Status.NOT_COVERED);
        assertThat(verdict.connector()).isEmpty();
    }

    @Test
    void partnerInClearShouldBeRefusedWithEncryptionNeeded() throws Exception {
        InboundVerdict verdict =
                connectors.evaluate(
                        InboundSession.atMailFrom(
                                address("198.51.100.1"),
                                Optional.of("Partner.Test"),
                                Optional.empty()));
        assertThat(verdict.isViolation()).isTrue();
        assertThat(verdict.violation()).contains(InboundViolation.TLS_REQUIRED);
        assertThat(verdict.violation().orElseThrow().replyCode()).isEqualTo("530");
        assertThat(verdict.replyText())
                .isEqualTo("5.7.10 partner.test requires TLSv1.2 or newer (connector partner)");
    }

    @Test
    void partnerOverTls12ShouldComply() throws Exception {
        InboundVerdict verdict =
                connectors.evaluate(
                        InboundSession.atMailFrom(
                                address("198.51.100.1"),
                                Optional.of("partner.test"),
                                tls("TLSv1.2", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256")));
        assertThat(verdict.status()).isEqualTo(InboundVerdict.Status.COMPLIANT);
        assertThat(verdict.connector()).contains("partner");
        assertThat(verdict.reason())
                .isEqualTo("partner.test complies: TLSv1.2 (connector partner)");
    }

    @Test
    void oldProtocolShouldBeRefusedNamingWhatWasNegotiated() throws Exception {
        InboundVerdict verdict =
                connectors.evaluate(
                        InboundSession.atMailFrom(
                                address("198.51.100.1"),
                                Optional.of("modern.test"),
                                tls("TLSv1.2", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256")));
        assertThat(verdict.violation()).contains(InboundViolation.PROTOCOL_TOO_OLD);
        assertThat(verdict.replyText())
                .isEqualTo(
                        "5.7.10 modern.test requires TLSv1.3 or newer, got TLSv1.2 (connector modern)");
        InboundVerdict unknown =
                connectors.evaluate(
                        InboundSession.atMailFrom(
                                address("198.51.100.1"),
                                Optional.of("modern.test"),
                                tls("DTLSv1.3\r\n250 ok", "X")));
        assertThat(unknown.violation()).contains(InboundViolation.PROTOCOL_TOO_OLD);
        assertThat(unknown.reason()).doesNotContain("\r").doesNotContain("\n");
    }

    @Test
    void fromHeaderDomainShouldCoverAfterData() throws Exception {
        InboundSession session =
                InboundSession.afterData(
                        address("198.51.100.1"),
                        Optional.of("bounce.mailer.test"),
                        List.of("news.test", "PARTNER.test"),
                        Optional.empty());
        InboundVerdict verdict = connectors.evaluate(session);
        assertThat(verdict.connector()).contains("partner");
        assertThat(verdict.reason()).startsWith("partner.test requires");
    }

    @Test
    void clientNetworkShouldCoverAndCheckCipherSuites() throws Exception {
        InboundVerdict wrongCipher =
                connectors.evaluate(
                        InboundSession.atMailFrom(
                                address("203.0.113.7"),
                                Optional.empty(),
                                tls("TLSv1.3", "TLS_AES_128_GCM_SHA256")));
        assertThat(wrongCipher.violation()).contains(InboundViolation.CIPHER_NOT_ALLOWED);
        assertThat(wrongCipher.reason())
                .isEqualTo(
                        "203.0.113.7 requires one of the cipher suites "
                                + "[TLS_AES_256_GCM_SHA384], got TLS_AES_128_GCM_SHA256 (connector network)");
        InboundVerdict right =
                connectors.evaluate(
                        InboundSession.atMailFrom(
                                address("203.0.113.7"),
                                Optional.empty(),
                                tls("TLSv1.3", "TLS_AES_256_GCM_SHA384")));
        assertThat(right.status()).isEqualTo(InboundVerdict.Status.COMPLIANT);
    }

    @Test
    void clientCertificateRequirementsShouldBeChecked() throws Exception {
        InboundVerdict none =
                connectors.evaluate(
                        InboundSession.atMailFrom(
                                address("198.51.100.1"),
                                Optional.of("certified.test"),
                                tls("TLSv1.3", "TLS_AES_256_GCM_SHA384")));
        assertThat(none.violation()).contains(InboundViolation.CLIENT_CERTIFICATE_REQUIRED);
        assertThat(none.replyText())
                .isEqualTo(
                        "5.7.0 certified.test requires a client certificate (connector certified)");

        InboundVerdict wrongName =
                connectors.evaluate(
                        InboundSession.atMailFrom(
                                address("198.51.100.1"),
                                Optional.of("certified.test"),
                                Optional.of(
                                        TlsFacts.of(
                                                "TLSv1.3",
                                                "TLS_AES_256_GCM_SHA384",
                                                Optional.of("CN=intruder\r\n250 OK"),
                                                List.of("DNS:intruder.test")))));
        assertThat(wrongName.violation()).contains(InboundViolation.CLIENT_CERTIFICATE_NAME);
        assertThat(wrongName.reason())
                .isEqualTo(
                        "certified.test requires a client certificate for DNS:relay.certified.test (connector certified)");

        InboundVerdict right =
                connectors.evaluate(
                        InboundSession.atMailFrom(
                                address("198.51.100.1"),
                                Optional.of("anyone.test"),
                                Optional.of(
                                        TlsFacts.of(
                                                "TLSv1.3",
                                                "TLS_AES_256_GCM_SHA384",
                                                Optional.of("CN=relay"),
                                                List.of("DNS:relay.certified.test")))));
        assertThat(right.status()).isEqualTo(InboundVerdict.Status.COMPLIANT);
        assertThat(right.connector()).contains("certified");
    }

    @Test
    void firstConnectorInFileOrderShouldWin() throws Exception {
        InboundVerdict verdict =
                connectors.evaluate(
                        InboundSession.atMailFrom(
                                address("203.0.113.7"),
                                Optional.of("partner.test"),
                                Optional.empty()));
        assertThat(verdict.connector()).contains("partner");
    }

    @Test
    void connectorWithoutRequirementsShouldOnlyLabel() throws Exception {
        Connectors labels =
                ConnectorsFileTest.parse(
                        "<connectors><inbound name=\"friend\"><senderDomain>friend.test</senderDomain></inbound></connectors>");
        InboundVerdict verdict =
                labels.evaluate(
                        InboundSession.atMailFrom(
                                address("198.51.100.1"),
                                Optional.of("friend.test"),
                                Optional.empty()));
        assertThat(verdict.status()).isEqualTo(InboundVerdict.Status.COMPLIANT);
        assertThat(verdict.reason())
                .isEqualTo("friend.test complies, received in clear (connector friend)");
    }

    private static Optional<InetAddress> address(String literal) throws Exception {
        return Optional.of(InetAddress.getByName(literal));
    }

    private static Optional<TlsFacts> tls(String protocol, String cipher) {
        return Optional.of(TlsFacts.of(protocol, cipher, Optional.empty(), List.of()));
    }
}

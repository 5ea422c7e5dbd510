package dev.mailsec.it.connector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsec.tls.TlsProtocolVersion;
import dev.mailsec.tls.connector.OutboundProbe;
import dev.mailsec.tls.connector.OutboundTlsLevel;
import dev.mailsec.tls.connector.ProbeReport;
import dev.mailsec.tls.connector.SmartHost;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The probe behind {@code ./mailsec tls check} against the same loopback partners as the outbound
 * delivery tests: it must reach the same verdicts RemoteDelivery does.
 */
class OutboundProbeTest {

    private static PartnerPki pki;
    private static PartnerSmtpServer good;
    private static PartnerSmtpServer wrongName;
    private static PartnerSmtpServer expired;
    private static PartnerSmtpServer tls12Only;
    private static PartnerSmtpServer noStartTls;
    private static StartTlsStrippingProxy proxy;
    private static OutboundProbe probe;

    @BeforeAll
    static void startPartners() throws Exception {
        pki = new PartnerPki();
        good = PartnerSmtpServer.withStartTls(pki.validServer("localhost"));
        wrongName = PartnerSmtpServer.withStartTls(pki.validServer("wrong.test"));
        expired =
                PartnerSmtpServer.withStartTls(
                        pki.serverContext("localhost", Duration.ofDays(-3), Duration.ofDays(-1)));
        tls12Only = PartnerSmtpServer.withStartTls(pki.validServer("localhost"), "TLSv1.2");
        noStartTls = PartnerSmtpServer.withoutStartTls();
        proxy = new StartTlsStrippingProxy(good.port());
        probe = new OutboundProbe(Duration.ofSeconds(10), pki.trustStore(), "probe.mailsec.test");
    }

    @AfterAll
    static void stopPartners() throws Exception {
        for (AutoCloseable closeable :
                new AutoCloseable[] {good, wrongName, expired, tls12Only, noStartTls, proxy}) {
            closeable.close();
        }
    }

    @Test
    void goodPartnerShouldBeVerified() {
        ProbeReport report = probe(good.port(), OutboundTlsLevel.VERIFY, Optional.empty());

        assertThat(report.wouldDeliver()).isTrue();
        assertThat(report.protocol()).contains("TLSv1.3");
        assertThat(report.chain()).hasSize(2);
        assertThat(report.chain().get(0).subject()).isEqualTo("CN=localhost");
        assertThat(report.chain().get(0).subjectAltNames()).containsExactly("DNS:localhost");
        assertThat(report.trustError()).isEmpty();
        assertThat(report.matchedName()).contains("DNS:localhost");
        assertThat(good.receivedFor("anyone")).isEmpty();
    }

    @Test
    void wrongNameShouldFailVerifyButPassRequired() {
        ProbeReport verify = probe(wrongName.port(), OutboundTlsLevel.VERIFY, Optional.empty());
        assertThat(verify.wouldDeliver()).isFalse();
        assertThat(verify.trustError()).isEmpty();
        assertThat(verify.decision()).contains("certificate not issued for localhost");

        assertThat(
                        probe(wrongName.port(), OutboundTlsLevel.REQUIRED, Optional.empty())
                                .wouldDeliver())
                .isTrue();
    }

    @Test
    void expiredCertificateShouldNotBeTrusted() {
        ProbeReport report = probe(expired.port(), OutboundTlsLevel.VERIFY, Optional.empty());

        assertThat(report.wouldDeliver()).isFalse();
        assertThat(report.trustError()).isPresent();
        assertThat(report.decision()).startsWith("mail would wait: certificate chain not trusted");
    }

    @Test
    void olderProtocolThanTheMinimumShouldHold() {
        ProbeReport report =
                probe(
                        tls12Only.port(),
                        OutboundTlsLevel.VERIFY,
                        Optional.of(TlsProtocolVersion.TLS_V1_3));

        assertThat(report.protocol()).contains("TLSv1.2");
        assertThat(report.wouldDeliver()).isFalse();
        assertThat(report.decision())
                .contains("the host negotiates TLSv1.2, the connector requires TLSv1.3 or newer");
    }

    @Test
    void missingOrStrippedStartTlsShouldHoldMandatoryLevels() {
        assertThat(probe(noStartTls.port(), OutboundTlsLevel.REQUIRED, Optional.empty()).decision())
                .startsWith("mail would wait: STARTTLS not offered");
        ProbeReport stripped = probe(proxy.port(), OutboundTlsLevel.VERIFY, Optional.empty());
        assertThat(stripped.startTlsOffered()).isFalse();
        assertThat(stripped.wouldDeliver()).isFalse();
    }

    @Test
    void closedPortShouldBeReportedAsNoSession() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        ProbeReport report = probe(closed, OutboundTlsLevel.VERIFY, Optional.empty());

        assertThat(report.connectError()).isPresent();
        assertThat(report.wouldDeliver()).isFalse();
    }

    private static ProbeReport probe(
            int port, OutboundTlsLevel level, Optional<TlsProtocolVersion> minimum) {
        return probe.probe(SmartHost.parse("localhost:" + port), level, minimum);
    }
}

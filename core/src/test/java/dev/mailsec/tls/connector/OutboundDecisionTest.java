package dev.mailsec.tls.connector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsec.tls.TlsProtocolVersion;
import java.io.InputStream;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OutboundDecisionTest {

    private static final Optional<String> NONE = Optional.empty();
    private static final Optional<TlsProtocolVersion> ANY = Optional.empty();

    @Test
    void noStartTlsShouldHoldMandatoryLevelsAndGoInClearWhenOpportunistic() {
        assertThat(decide(OutboundTlsLevel.VERIFY, ANY, false, NONE, NONE, NONE, NONE).text)
                .isEqualTo(
                        "mail would wait: STARTTLS not offered; RemoteDelivery retries, then bounces (verify)");
        assertThat(decide(OutboundTlsLevel.REQUIRED, ANY, false, NONE, NONE, NONE, NONE).deliver)
                .isFalse();
        OutboundDecision opportunistic =
                decide(OutboundTlsLevel.OPPORTUNISTIC, ANY, false, NONE, NONE, NONE, NONE);
        assertThat(opportunistic.deliver).isTrue();
        assertThat(opportunistic.text).contains("IN CLEAR");
    }

    @Test
    void aDaneHostShouldNeverGoInClearAndNeedItsTlsaMatch() {
        OutboundDecision stripped =
                decide(OutboundTlsLevel.DANE, ANY, false, NONE, NONE, NONE, NONE);
        assertThat(stripped.deliver).isFalse();
        assertThat(stripped.text).startsWith("mail would wait: STARTTLS not offered");
        OutboundDecision mismatch =
                decide(
                        OutboundTlsLevel.DANE,
                        ANY,
                        true,
                        NONE,
                        Optional.of("TLSv1.3"),
                        Optional.of("DANE: no TLSA record matched"),
                        NONE);
        assertThat(mismatch.deliver).isFalse();
        assertThat(mismatch.text).contains("certificate does not match the TLSA records");
        OutboundDecision matched =
                decide(OutboundTlsLevel.DANE, ANY, true, NONE, Optional.of("TLSv1.3"), NONE, NONE);
        assertThat(matched.deliver).isTrue();
        assertThat(matched.text)
                .isEqualTo("mail would go over TLSv1.3, certificate authenticated by TLSA (DANE)");
    }

    @Test
    void verifyShouldNeedTrustAndName() {
        assertThat(
                        decide(
                                        OutboundTlsLevel.VERIFY,
                                        ANY,
                                        true,
                                        NONE,
                                        Optional.of("TLSv1.3"),
                                        Optional.of("PKIX path building failed"),
                                        Optional.of("DNS:mx.bank.test"))
                                .text)
                .isEqualTo(
                        "mail would wait: certificate chain not trusted: PKIX path building failed; "
                                + "RemoteDelivery retries, then bounces (verify)");
        assertThat(
                        decide(
                                        OutboundTlsLevel.VERIFY,
                                        ANY,
                                        true,
                                        NONE,
                                        Optional.of("TLSv1.3"),
                                        NONE,
                                        NONE)
                                .text)
                .isEqualTo(
                        "mail would wait: certificate not issued for mx.bank.test; RemoteDelivery retries, then bounces (verify)");
        OutboundDecision good =
                decide(
                        OutboundTlsLevel.VERIFY,
                        ANY,
                        true,
                        NONE,
                        Optional.of("TLSv1.3"),
                        NONE,
                        Optional.of("DNS:mx.bank.test"));
        assertThat(good.deliver).isTrue();
        assertThat(good.text)
                .isEqualTo("mail would go over TLSv1.3, certificate verified for DNS:mx.bank.test");
    }

    @Test
    void requiredShouldIgnoreTrustButNotTheMinimumProtocol() {
        assertThat(
                        decide(
                                        OutboundTlsLevel.REQUIRED,
                                        ANY,
                                        true,
                                        NONE,
                                        Optional.of("TLSv1.2"),
                                        Optional.of("expired"),
                                        NONE)
                                .deliver)
                .isTrue();
        assertThat(
                        decide(
                                        OutboundTlsLevel.REQUIRED,
                                        Optional.of(TlsProtocolVersion.TLS_V1_3),
                                        true,
                                        NONE,
                                        Optional.of("TLSv1.2"),
                                        NONE,
                                        NONE)
                                .text)
                .isEqualTo(
                        "mail would wait: the host negotiates TLSv1.2, the connector requires TLSv1.3 or newer; "
                                + "RemoteDelivery retries, then bounces (required)");
        assertThat(
                        decide(
                                        OutboundTlsLevel.REQUIRED,
                                        ANY,
                                        true,
                                        Optional.of("Received fatal alert: protocol_version"),
                                        NONE,
                                        NONE,
                                        NONE)
                                .deliver)
                .isFalse();
    }

    @Test
    void hostNameMatcherShouldFollowRfc6125() throws Exception {
        X509Certificate withSans = load("client-with-sans.pem");
        assertThat(HostNameMatcher.match("RELAY.partner.example.", withSans))
                .contains("DNS:relay.partner.example");
        assertThat(HostNameMatcher.match("other.partner.example", withSans)).isEmpty();
        assertThat(HostNameMatcher.matches("mx.bank.test", "*.bank.test")).isTrue();
        assertThat(HostNameMatcher.matches("bank.test", "*.bank.test")).isFalse();
        assertThat(HostNameMatcher.matches("a.mx.bank.test", "*.bank.test")).isFalse();
        assertThat(HostNameMatcher.matches("x.test", "*.test")).isFalse();
    }

    private static OutboundDecision decide(
            OutboundTlsLevel level,
            Optional<TlsProtocolVersion> minimum,
            boolean offered,
            Optional<String> handshakeError,
            Optional<String> protocol,
            Optional<String> trustError,
            Optional<String> matched) {
        return OutboundDecision.decide(
                level,
                minimum,
                offered,
                handshakeError,
                protocol,
                trustError,
                matched,
                "mx.bank.test");
    }

    private static X509Certificate load(String name) throws Exception {
        try (InputStream in =
                OutboundDecisionTest.class.getResourceAsStream("/dev/mailsec/tls/" + name)) {
            return (X509Certificate)
                    CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }
}

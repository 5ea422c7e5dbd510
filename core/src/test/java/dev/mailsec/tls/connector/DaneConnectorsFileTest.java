package dev.mailsec.tls.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailsec.tls.connector.dane.DaneResolverSettings;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The {@code dane} level and the {@code <dane>} element of the connectors file. */
class DaneConnectorsFileTest {

    private static final String RESOLVER = "<dane resolver=\"127.0.0.1:5353\"/>";

    @Test
    void aDaneDefaultConnectorShouldReadWithItsFallbacks() throws Exception {
        Connectors connectors =
                parse(
                        RESOLVER
                                + outbound(
                                        "*",
                                        "<tls level=\"dane\" fallback=\"mta-sts\" mtaStsFallback=\"required\"/>"));

        OutboundConnector connector = connectors.outboundFor("any.example").get();
        assertThat(connector.tlsLevel()).isEqualTo(OutboundTlsLevel.DANE);
        assertThat(connector.fallbackLevel()).isEqualTo(OutboundTlsLevel.MTA_STS);
        assertThat(connector.mtaStsFallbackLevel()).isEqualTo(OutboundTlsLevel.REQUIRED);
        assertThat(connector.policyDescription())
                .startsWith("dane: where the recipient domain's MX records and an MX host's TLSA")
                .endsWith("without an enforce policy required: STARTTLS required, any certificate");
        DaneResolverSettings dane = connectors.dane().get();
        assertThat(dane.validation()).isEqualTo(DaneResolverSettings.Validation.RESOLVER);
        assertThat(dane.resolver().getPort()).isEqualTo(5353);
        assertThat(dane.toString()).isEqualTo("dane{validation=resolver, resolver=127.0.0.1:5353}");
    }

    @Test
    void aDaneConnectorShouldTakeAClientCertificate() throws Exception {
        OutboundConnector connector =
                parse(
                                RESOLVER
                                        + outbound(
                                                "bank.test",
                                                "<tls level=\"dane\" clientCertificate=\"dkm:tls/bank\""
                                                        + " clientCertificateRefresh=\"PT1M\"/>"))
                        .outbound()
                        .get(0);

        assertThat(connector.clientCertificate()).contains("tls/bank");
        assertThat(connector.clientCertificateRefresh()).isEqualTo(java.time.Duration.ofMinutes(1));
    }

    @Test
    void theFallbackShouldDefaultToOpportunistic() throws Exception {
        OutboundConnector connector =
                parse(RESOLVER + outbound("p.test", "<tls level=\"dane\"/>")).outbound().get(0);

        assertThat(connector.fallbackLevel()).isEqualTo(OutboundTlsLevel.OPPORTUNISTIC);
        assertThat(connector.policyDescription())
                .endsWith("; otherwise opportunistic: STARTTLS when offered");
    }

    @Test
    void dnsjavaValidationShouldNeedTrustAnchors() throws Exception {
        DaneResolverSettings dane =
                parse(
                                "<dane validation=\"dnsjava\" resolver=\"[::1]\" trustAnchors=\"conf/root.ds\"/>")
                        .dane()
                        .get();

        assertThat(dane.resolver().getPort()).isEqualTo(53);
        assertThat(dane.trustAnchors()).contains("conf/root.ds");
        assertInvalid(
                "<dane validation=\"dnsjava\" resolver=\"127.0.0.1\"/>",
                "dane: trustAnchors: required with validation=\"dnsjava\"");
    }

    @Test
    void eachMistakeShouldBeNamed() {
        assertInvalid(
                outbound("p.test", "<tls level=\"dane\"/>"),
                "outbound connector 'c': level dane needs DNSSEC answers: add <dane");
        assertInvalid(
                "<dane resolver=\"192.0.2.53\"/>",
                "dane: resolver: 192.0.2.53 is not a loopback address");
        assertInvalid(
                "<dane resolver=\"resolver.test\"/>", "dane: resolver: expected an IP address");
        assertInvalid("<dane/>", "dane: resolver: missing");
        assertInvalid(
                "<dane validation=\"ad\" resolver=\"127.0.0.1\"/>",
                "dane: validation: expected resolver or dnsjava, got 'ad'");
        assertInvalid(
                "<dane resolver=\"127.0.0.1\" trustAnchors=\"x.ds\"/>",
                "dane: trustAnchors: only for validation=\"dnsjava\"");
        assertInvalid(RESOLVER + RESOLVER, "dane: given twice");
        assertInvalid(
                RESOLVER + outbound("p.test", "<tls level=\"dane\" fallback=\"dane\"/>"),
                "fallback: expected opportunistic, required, verify or mta-sts, got 'dane'");
        assertInvalid(
                RESOLVER + outbound("p.test", "<tls level=\"mta-sts\" fallback=\"dane\"/>"),
                "fallback: expected opportunistic, required or verify, got 'dane'");
        assertInvalid(
                RESOLVER
                        + outbound(
                                "p.test",
                                "<tls level=\"dane\" fallback=\"verify\" mtaStsFallback=\"required\"/>"),
                "mtaStsFallback: only for level=\"dane\" fallback=\"mta-sts\"");
        assertInvalid(
                RESOLVER
                        + outbound(
                                "p.test",
                                "<smartHost>relay.p.test</smartHost><tls level=\"dane\"/>"),
                "smartHost: level 'dane' delivers to the recipient domain's MX hosts (RFC 7672)");
    }

    @Test
    void aTrustedRemoteResolverShouldBeAccepted() throws Exception {
        DaneResolverSettings dane =
                parse("<dane resolver=\"192.0.2.53:53\" trusted=\"true\"/>").dane().get();

        assertThat(dane.trusted()).isTrue();
    }

    private static String outbound(String domain, String tls) {
        return "<outbound name=\"c\"><recipientDomain>"
                + domain
                + "</recipientDomain>"
                + tls
                + "</outbound>";
    }

    private static void assertInvalid(String body, String fragment) {
        assertThatThrownBy(() -> parse(body))
                .isInstanceOf(InvalidConnectorsException.class)
                .hasMessageStartingWith("connectors.xml: ")
                .hasMessageContaining(fragment);
    }

    private static Connectors parse(String body) throws InvalidConnectorsException {
        return ConnectorsFile.parse(
                ("<connectors>" + body + "</connectors>").getBytes(StandardCharsets.UTF_8),
                "connectors.xml");
    }
}

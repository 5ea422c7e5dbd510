package dev.mailsec.tls.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailsec.config.PackPaths;
import dev.mailsec.tls.TlsProtocolVersion;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConnectorsFileTest {

    static final String SAMPLE =
            "<?xml version=\"1.0\"?>\n"
                    + "<connectors>\n"
                    + "  <inbound name=\"partner\">\n"
                    + "    <senderDomain>partner.test</senderDomain>\n"
                    + "    <senderDomain>*.partner.test</senderDomain>\n"
                    + "    <clientNetwork>203.0.113.0/24</clientNetwork>\n"
                    + "    <clientNetwork>2001:db8:1::/48</clientNetwork>\n"
                    + "    <clientCertificate>DNS:mx.partner.test</clientCertificate>\n"
                    + "    <requires tls=\"true\" minimumProtocol=\"TLSv1.2\">\n"
                    + "      <cipherSuite>TLS_AES_256_GCM_SHA384</cipherSuite>\n"
                    + "      <clientCertificateName>DNS:mx.partner.test</clientCertificateName>\n"
                    + "    </requires>\n"
                    + "  </inbound>\n"
                    + "  <inbound name=\"labelled\"><senderDomain>friend.test</senderDomain></inbound>\n"
                    + "  <outbound name=\"bank\">\n"
                    + "    <recipientDomain>bank.test</recipientDomain>\n"
                    + "    <recipientDomain>*.bank.test</recipientDomain>\n"
                    + "    <smartHost>relay.bank.test:2525</smartHost>\n"
                    + "    <tls level=\"verify\" minimumProtocol=\"TLSv1.3\"/>\n"
                    + "  </outbound>\n"
                    + "</connectors>\n";

    @Test
    void parseShouldReadEveryField() throws Exception {
        Connectors connectors = parse(SAMPLE);

        InboundConnector partner = connectors.inbound("partner").orElseThrow();
        assertThat(partner.senderDomains())
                .extracting(Object::toString)
                .containsExactly("partner.test", "*.partner.test");
        assertThat(partner.clientNetworks())
                .extracting(Object::toString)
                .containsExactly("203.0.113.0/24", "2001:db8:1:0:0:0:0:0/48");
        assertThat(partner.clientCertificates())
                .extracting(Object::toString)
                .containsExactly("DNS:mx.partner.test");
        assertThat(partner.tlsRequired()).isTrue();
        assertThat(partner.minimumProtocol()).contains(TlsProtocolVersion.TLS_V1_2);
        assertThat(partner.cipherSuites()).containsExactly("TLS_AES_256_GCM_SHA384");
        assertThat(partner.clientCertificateRequired()).isTrue();

        InboundConnector labelled = connectors.inbound("labelled").orElseThrow();
        assertThat(labelled.tlsRequired()).isFalse();
        assertThat(labelled.clientCertificateRequired()).isFalse();

        OutboundConnector bank = connectors.outbound("bank").orElseThrow();
        assertThat(bank.tlsLevel()).isEqualTo(OutboundTlsLevel.VERIFY);
        assertThat(bank.minimumProtocol()).contains(TlsProtocolVersion.TLS_V1_3);
        assertThat(bank.smartHosts())
                .extracting(Object::toString)
                .containsExactly("relay.bank.test:2525");
        assertThat(connectors.outboundFor("mx.bank.test")).containsSame(bank);
        assertThat(connectors.outboundFor("other.test")).isEmpty();
    }

    @Test
    void loadShouldReadAFileAndResolveJamesStyleLocations(@TempDir Path dir) throws Exception {
        Path conf = Files.createDirectories(dir.resolve("conf"));
        Files.write(conf.resolve("connectors.xml"), SAMPLE.getBytes(StandardCharsets.UTF_8));

        Path resolved = PackPaths.resolve(dir, "file://conf/connectors.xml");
        assertThat(resolved).isEqualTo(conf.resolve("connectors.xml"));
        assertThat(ConnectorsFile.load(resolved).inbound()).hasSize(2);
        assertThat(PackPaths.resolve(dir, "file:///etc/x.xml")).isEqualTo(Paths.get("/etc/x.xml"));
        assertThat(PackPaths.resolve(dir, "conf/connectors.xml"))
                .isEqualTo(conf.resolve("connectors.xml"));
        assertThatThrownBy(() -> ConnectorsFile.load(dir.resolve("missing.xml")))
                .isInstanceOf(InvalidConnectorsException.class)
                .hasMessageEndingWith("missing.xml: no such file");
    }

    @Test
    void parseShouldNameConnectorFieldAndValueOfEachMistake() {
        assertInvalid(
                inbound("partner", "<senderDomain>partner test</senderDomain>"),
                "inbound connector 'partner': senderDomain: expected a domain name",
                "got 'partner test'");
        assertInvalid(
                inbound("partner", "<clientNetwork>10.0.0.0/40</clientNetwork>"),
                "inbound connector 'partner': clientNetwork:",
                "got '10.0.0.0/40'");
        assertInvalid(
                inbound("partner", "<clientCertificate>XYZ:1</clientCertificate>"),
                "inbound connector 'partner': clientCertificate:",
                "got 'XYZ:1'");
        assertInvalid(
                inbound(
                        "partner",
                        "<senderDomain>p.test</senderDomain><requires minimumProtocol=\"TLSv9\"/>"),
                "inbound connector 'partner': minimumProtocol: expected one of",
                "got 'TLSv9'");
        assertInvalid(
                inbound("partner", "<senderDomain>p.test</senderDomain><requires tls=\"yes\"/>"),
                "inbound connector 'partner': tls: expected true or false, got 'yes'");
        assertInvalid(
                inbound(
                        "partner",
                        "<senderDomain>p.test</senderDomain><requires><cipherSuite>TLS_NULL</cipherSuite></requires>"),
                "inbound connector 'partner': cipherSuite: not a cipher suite this JVM supports, got 'TLS_NULL'");
        assertInvalid(
                inbound(
                        "partner",
                        "<senderDomain>p.test</senderDomain><requires tls=\"false\" minimumProtocol=\"TLSv1.2\"/>"),
                "inbound connector 'partner': tls: 'false' contradicts");
        assertInvalid(
                inbound("partner", "<senderDomain>p.test</senderDomain><requires tsl=\"true\"/>"),
                "inbound connector 'partner': requires: unknown attribute 'tsl'");
        assertInvalid(
                inbound("partner", "<senderdomain>p.test</senderdomain>"),
                "inbound connector 'partner': unknown element <senderdomain>");
        assertInvalid(inbound("partner", ""), "inbound connector 'partner': covers no mail");
        assertInvalid(
                inbound("bad name", "<senderDomain>p.test</senderDomain>"),
                "<inbound>: name:",
                "got 'bad name'");
        assertInvalid(
                "<connectors>"
                        + "<inbound name=\"a\"><senderDomain>p.test</senderDomain></inbound>"
                        + "<outbound name=\"a\"><recipientDomain>p.test</recipientDomain><tls level=\"required\"/></outbound>"
                        + "</connectors>",
                "<outbound>: name: 'a' is used by another connector");
        assertInvalid(
                outbound(
                        "bank",
                        "<recipientDomain>bank.test</recipientDomain><tls level=\"secure\"/>"),
                "outbound connector 'bank': level: expected opportunistic, required, verify, mta-sts or dane, got 'secure'");
        assertInvalid(
                outbound(
                        "bank",
                        "<recipientDomain>bank.test</recipientDomain><smartHost>relay.bank.test</smartHost>"
                                + "<tls level=\"mta-sts\"/>"),
                "outbound connector 'bank': smartHost: level 'mta-sts' delivers to the recipient domain's MX hosts");
        assertInvalid(
                outbound(
                        "bank",
                        "<recipientDomain>bank.test</recipientDomain><tls level=\"verify\" fallback=\"required\"/>"),
                "outbound connector 'bank': fallback: only for level=\"mta-sts\" or \"dane\", got level 'verify'");
        assertInvalid(
                outbound(
                        "bank",
                        "<recipientDomain>bank.test</recipientDomain><tls level=\"mta-sts\" fallback=\"mta-sts\"/>"),
                "outbound connector 'bank': fallback: expected opportunistic, required or verify, got 'mta-sts'");
        assertInvalid(
                outbound(
                        "bank",
                        "<recipientDomain>bank.test</recipientDomain><tls level=\"mta-sts\" fallback=\"clear\"/>"),
                "outbound connector 'bank': fallback: expected opportunistic, required, verify, mta-sts or dane, got 'clear'");
        assertInvalid(
                outbound("bank", "<recipientDomain>bank.test</recipientDomain>"),
                "outbound connector 'bank': tls: missing");
        assertInvalid(
                outbound("bank", "<tls level=\"verify\"/>"),
                "outbound connector 'bank': recipientDomain: give at least one");
        assertInvalid(
                outbound(
                        "bank",
                        "<recipientDomain>bank.test</recipientDomain><smartHost>relay:99999</smartHost>"
                                + "<tls level=\"verify\"/>"),
                "outbound connector 'bank': smartHost:",
                "got 'relay:99999'");
        assertInvalid("<connector/>", "the root element must be <connectors>, got <connector>");
        assertInvalid("<connectors><inbound", "not well-formed XML");
    }

    @Test
    void verifyConnectorShouldTakeItsOwnTrustStoreAndExpectedNames() throws Exception {
        OutboundConnector bank =
                parse(
                                outbound(
                                        "bank",
                                        "<recipientDomain>bank.test</recipientDomain>"
                                                + "<smartHost>relay.bank.test</smartHost>"
                                                + "<tls level=\"verify\" trustStore=\"conf/bank.p12\" trustStorePassword=\"s3cret-pw\">"
                                                + "<expectedName>MX.Bank.test</expectedName><expectedName>mx2.bank.test</expectedName></tls>"))
                        .outbound("bank")
                        .orElseThrow();

        assertThat(bank.trustStore()).contains("conf/bank.p12");
        assertThat(bank.trustStorePassword()).contains("s3cret-pw");
        assertThat(bank.expectedNames()).containsExactly("mx.bank.test", "mx2.bank.test");
        assertThat(bank.hasOwnTrust()).isTrue();
        assertThat(bank.policyDescription())
                .isEqualTo(
                        "verify: STARTTLS required, certificate trusted by the "
                                + "connector's trust store and issued for mx.bank.test or mx2.bank.test");
        assertThat(bank.toString()).doesNotContain("s3cret-pw");
    }

    @Test
    void ownTrustShouldApplyToConnectorsDeliveringByMx() throws Exception {
        OutboundConnector bank =
                parse(
                                outbound(
                                        "bank",
                                        "<recipientDomain>bank.test</recipientDomain>"
                                                + "<tls level=\"verify\" trustStore=\"conf/bank.pem\"><expectedName>mx.bank.test</expectedName></tls>"))
                        .outbound("bank")
                        .orElseThrow();
        assertThat(bank.smartHosts()).isEmpty();
        assertThat(bank.hasOwnTrust()).isTrue();
        assertThat(bank.expectedNames()).containsExactly("mx.bank.test");
    }

    @Test
    void ownTrustShouldBeRefusedWhereItCannotApply() {
        String domain = "<recipientDomain>bank.test</recipientDomain>";
        assertInvalid(
                outbound(
                        "bank",
                        domain
                                + "<smartHost>r.bank.test</smartHost><tls level=\"required\" trustStore=\"x.pem\"/>"),
                "outbound connector 'bank': trustStore, expectedName: only for level 'verify', got 'required'");
        assertInvalid(
                outbound(
                        "bank",
                        domain
                                + "<smartHost>r.bank.test</smartHost><tls level=\"verify\">"
                                + "<expectedName>*.bank.test</expectedName></tls>"),
                "outbound connector 'bank': expectedName: expected a host name, got '*.bank.test'");
        assertInvalid(
                outbound(
                        "bank",
                        domain
                                + "<smartHost>r.bank.test</smartHost><tls level=\"verify\" trustStorePassword=\"x\"/>"),
                "outbound connector 'bank': trustStorePassword: given without trustStore");
        assertInvalid(
                outbound(
                        "bank",
                        domain
                                + "<smartHost>r.bank.test</smartHost><tls level=\"verify\"><expectName>x</expectName></tls>"),
                "outbound connector 'bank': tls: unknown element <expectName>; expected expectedName");
        assertInvalid(
                "<connectors>"
                        + "<outbound name=\"a\"><recipientDomain>a.test</recipientDomain><smartHost>relay.test</smartHost>"
                        + "<tls level=\"verify\" trustStore=\"a.pem\"/></outbound>"
                        + "<outbound name=\"b\"><recipientDomain>b.test</recipientDomain><smartHost>relay.test:25</smartHost>"
                        + "<tls level=\"verify\"/></outbound></connectors>",
                "outbound connector 'b': smartHost: relay.test:25 is also used by connector 'a' with another level, trustStore, expectedName or clientCertificate");
    }

    @Test
    void trustStoreProblemsShouldNameConnectorAndField(@TempDir Path dir) throws Exception {
        OutboundConnector missing =
                parse(
                                outbound(
                                        "bank",
                                        "<recipientDomain>bank.test</recipientDomain>"
                                                + "<smartHost>relay.bank.test</smartHost><tls level=\"verify\" trustStore=\"conf/none.pem\"/>"))
                        .outbound("bank")
                        .orElseThrow();
        Files.createDirectories(dir.resolve("conf"));
        Files.writeString(dir.resolve("conf/empty.pem"), "not a certificate\n");
        OutboundConnector empty =
                parse(
                                outbound(
                                        "bank",
                                        "<recipientDomain>bank.test</recipientDomain>"
                                                + "<smartHost>relay.bank.test</smartHost><tls level=\"verify\" trustStore=\"conf/empty.pem\"/>"))
                        .outbound("bank")
                        .orElseThrow();

        Assertions.assertThatThrownBy(() -> ConnectorTrust.chainTrust(missing, dir))
                .isInstanceOf(InvalidConnectorsException.class)
                .hasMessage(
                        "outbound connector 'bank': trustStore: "
                                + dir.resolve("conf/none.pem")
                                + ": no such file");
        Assertions.assertThatThrownBy(
                        () -> ConnectorTrust.clientContext(empty, "relay.bank.test", dir))
                .isInstanceOf(InvalidConnectorsException.class)
                .hasMessageStartingWith(
                        "outbound connector 'bank': trustStore: "
                                + dir.resolve("conf/empty.pem")
                                + ": ");
    }

    @Test
    void mtaStsLevelShouldBeAcceptedWithAFallbackLevel() throws Exception {
        Connectors connectors =
                parse(
                        outbound(
                                "sts",
                                "<recipientDomain>*</recipientDomain>"
                                        + "<tls level=\"mta-sts\" fallback=\"required\" minimumProtocol=\"TLSv1.2\"/>"));
        OutboundConnector sts = connectors.outbound("sts").orElseThrow();

        assertThat(sts.tlsLevel()).isEqualTo(OutboundTlsLevel.MTA_STS);
        assertThat(sts.fallbackLevel()).isEqualTo(OutboundTlsLevel.REQUIRED);
        assertThat(sts.covers("anything.example")).isTrue();
        assertThat(
                        parse(
                                        outbound(
                                                "sts",
                                                "<recipientDomain>x.test</recipientDomain><tls level=\"mta-sts\"/>"))
                                .outbound("sts")
                                .orElseThrow()
                                .fallbackLevel())
                .isEqualTo(OutboundTlsLevel.OPPORTUNISTIC);
    }

    @Test
    void parseShouldRefuseDoctypesAndExternalEntities() {
        String xxe =
                "<?xml version=\"1.0\"?><!DOCTYPE connectors [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                        + "<connectors><inbound name=\"a\"><senderDomain>&x;</senderDomain></inbound></connectors>";
        assertInvalid(xxe, "DOCTYPE");
        String billionLaughs =
                "<?xml version=\"1.0\"?><!DOCTYPE c [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;\">]><c>&b;</c>";
        assertInvalid(billionLaughs, "DOCTYPE");
    }

    @Test
    void clientCertificateShouldNameADkmSecretAndItsRefreshTime() throws Exception {
        OutboundConnector bank =
                parse(
                                outbound(
                                        "bank",
                                        "<recipientDomain>bank.test</recipientDomain>"
                                                + "<tls level=\"verify\" clientCertificate=\" dkm:tls/partner-bank \""
                                                + " clientCertificateRefresh=\"PT30S\"/>"))
                        .outbound("bank")
                        .orElseThrow();
        OutboundConnector defaults =
                parse(
                                outbound(
                                        "bank",
                                        "<recipientDomain>bank.test</recipientDomain>"
                                                + "<tls level=\"required\" clientCertificate=\"dkm:tls/bank\"/>"))
                        .outbound("bank")
                        .orElseThrow();

        assertThat(bank.clientCertificate()).contains("tls/partner-bank");
        assertThat(bank.clientCertificateRefresh()).isEqualTo(Duration.ofSeconds(30));
        assertThat(bank.needsOwnContext()).isTrue();
        assertThat(bank.hasOwnTrust()).isFalse();
        assertThat(bank.policyDescription()).endsWith(", presenting our client certificate");
        assertThat(defaults.clientCertificateRefresh()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void clientCertificateMistakesShouldNameConnectorAndField() {
        String domain = "<recipientDomain>bank.test</recipientDomain>";
        assertInvalid(
                outbound(
                        "bank",
                        domain
                                + "<tls level=\"opportunistic\" clientCertificate=\"dkm:tls/bank\"/>"),
                "outbound connector 'bank': clientCertificate: only for level 'required', 'verify' or 'dane'",
                "got 'opportunistic'");
        assertInvalid(
                outbound(
                        "bank",
                        domain + "<tls level=\"mta-sts\" clientCertificate=\"dkm:tls/bank\"/>"),
                "clientCertificate: only for level 'required', 'verify' or 'dane'");
        assertInvalid(
                outbound(
                        "bank",
                        domain + "<tls level=\"verify\" clientCertificate=\"/etc/bank.p12\"/>"),
                "outbound connector 'bank': clientCertificate: expected dkm:SECRET",
                "got '/etc/bank.p12'");
        assertInvalid(
                outbound("bank", domain + "<tls level=\"verify\" clientCertificate=\"dkm:\"/>"),
                "clientCertificate: expected dkm:SECRET");
        assertInvalid(
                outbound(
                        "bank",
                        domain
                                + "<tls level=\"verify\" clientCertificate=\"dkm:tls/bank\""
                                + " clientCertificateRefresh=\"soon\"/>"),
                "outbound connector 'bank': clientCertificateRefresh: must be a duration",
                "got 'soon'");
        assertInvalid(
                outbound(
                        "bank",
                        domain + "<tls level=\"verify\" clientCertificateRefresh=\"PT1M\"/>"),
                "outbound connector 'bank': clientCertificateRefresh: given without clientCertificate");
    }

    @Test
    void parseShouldRefuseOversizedFiles() {
        byte[] big = new byte[ConnectorsFile.MAX_BYTES + 1];
        assertThatThrownBy(() -> ConnectorsFile.parse(big, "big.xml"))
                .isInstanceOf(InvalidConnectorsException.class)
                .hasMessage("big.xml: larger than 1048576 bytes");
    }

    private static String inbound(String name, String body) {
        return "<connectors><inbound name=\"" + name + "\">" + body + "</inbound></connectors>";
    }

    private static String outbound(String name, String body) {
        return "<connectors><outbound name=\"" + name + "\">" + body + "</outbound></connectors>";
    }

    private static void assertInvalid(String xml, String... fragments) {
        assertThatThrownBy(() -> parse(xml))
                .isInstanceOf(InvalidConnectorsException.class)
                .hasMessageStartingWith("connectors.xml: ")
                .satisfies(
                        e -> {
                            for (String fragment : fragments) {
                                assertThat(e.getMessage()).contains(fragment);
                            }
                        });
    }

    static Connectors parse(String xml) throws InvalidConnectorsException {
        return ConnectorsFile.parse(xml.getBytes(StandardCharsets.UTF_8), "connectors.xml");
    }
}

package dev.mailsec.smtp.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.apache.commons.configuration2.XMLConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.commons.configuration2.io.FileHandler;
import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnforceInboundConnectorsTest {

    private static final String CONNECTORS =
            "<connectors>"
                    + "<inbound name=\"partner\"><senderDomain>partner.test</senderDomain>"
                    + "<requires minimumProtocol=\"TLSv1.2\"/></inbound>"
                    + "<inbound name=\"network\"><clientNetwork>192.0.2.0/24</clientNetwork>"
                    + "<requires clientCertificate=\"true\"/></inbound>"
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
    void doMailShouldRefusePartnerInClearWith530AndReason() throws Exception {
        HookResult result =
                hook().doMail(session("198.51.100.1", Optional.empty()), sender("a@partner.test"));

        assertThat(result.getResult()).isEqualTo(HookReturnCode.deny());
        assertThat(result.getSmtpRetCode()).isEqualTo("530");
        assertThat(result.getSmtpDescription())
                .isEqualTo("5.7.10 partner.test requires TLSv1.2 or newer (connector partner)");
    }

    @Test
    void doMailShouldDeclinePartnerOverTls12() throws Exception {
        HookResult result =
                hook().doMail(
                                session("198.51.100.1", Optional.of(ssl("TLSv1.2"))),
                                sender("a@partner.test"));

        assertThat(result).isEqualTo(HookResult.DECLINED);
    }

    @Test
    void doMailShouldDeclineMailCoveredByNoConnectorEvenInClear() throws Exception {
        assertThat(hook().doMail(session("198.51.100.1", Optional.empty()), sender("a@other.test")))
                .isEqualTo(HookResult.DECLINED);
        assertThat(
                        hook().doMail(
                                        session("198.51.100.1", Optional.empty()),
                                        MaybeSender.nullSender()))
                .isEqualTo(HookResult.DECLINED);
    }

    @Test
    void doMailShouldCoverByClientAddressAndRequireCertificate() throws Exception {
        HookResult result =
                hook().doMail(
                                session("192.0.2.10", Optional.of(ssl("TLSv1.3"))),
                                MaybeSender.nullSender());

        assertThat(result.getResult()).isEqualTo(HookReturnCode.deny());
        assertThat(result.getSmtpRetCode()).isEqualTo("530");
        assertThat(result.getSmtpDescription())
                .isEqualTo("5.7.0 192.0.2.10 requires a client certificate (connector network)");
    }

    @Test
    void initShouldFailNamingConnectorFieldAndValue() throws Exception {
        Files.write(
                file,
                ("<connectors><inbound name=\"partner\"><senderDomain>partner.test</senderDomain>"
                                + "<requires minimumProtocol=\"TLS1.2\"/></inbound></connectors>")
                        .getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(this::hook)
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("EnforceInboundConnectors: connectors: ")
                .hasMessageContaining("inbound connector 'partner': minimumProtocol:")
                .hasMessageContaining("got 'TLS1.2'");
    }

    @Test
    void initShouldRequireTheConnectorsParameterAndRejectOthers() {
        assertThatThrownBy(() -> hook(""))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("connectors is required");
        assertThatThrownBy(() -> hook("<connectors>" + file + "</connectors><strict>true</strict>"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("unknown parameter 'strict'");
        assertThatThrownBy(() -> hook("<connectors>" + dir.resolve("nope.xml") + "</connectors>"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("nope.xml: no such file");
    }

    private EnforceInboundConnectors hook() throws ConfigurationException {
        return hook("<connectors>" + file + "</connectors>");
    }

    private static EnforceInboundConnectors hook(String children) throws ConfigurationException {
        XMLConfiguration configuration = new XMLConfiguration();
        new FileHandler(configuration)
                .load(
                        new StringReader(
                                "<handler class=\"dev.mailsec.smtp.connector.EnforceInboundConnectors\">"
                                        + children
                                        + "</handler>"));
        EnforceInboundConnectors hook = new EnforceInboundConnectors();
        hook.init(configuration);
        return hook;
    }

    private static MaybeSender sender(String address) throws Exception {
        return MaybeSender.of(new MailAddress(address));
    }

    private static SMTPSession session(String clientIp, Optional<SSLSession> ssl) {
        return (SMTPSession)
                Proxy.newProxyInstance(
                        EnforceInboundConnectorsTest.class.getClassLoader(),
                        new Class<?>[] {SMTPSession.class},
                        (proxy, method, args) -> {
                            switch (method.getName()) {
                                case "getSSLSession":
                                    return ssl;
                                case "getRemoteAddress":
                                    return new InetSocketAddress(clientIp, 40000);
                                case "getSessionID":
                                    return "test-session";
                                default:
                                    throw new AssertionError("unexpected call " + method);
                            }
                        });
    }

    private static SSLSession ssl(String protocol) {
        return (SSLSession)
                Proxy.newProxyInstance(
                        EnforceInboundConnectorsTest.class.getClassLoader(),
                        new Class<?>[] {SSLSession.class},
                        (proxy, method, args) -> {
                            switch (method.getName()) {
                                case "getProtocol":
                                    return protocol;
                                case "getCipherSuite":
                                    return "TLS_AES_256_GCM_SHA384";
                                case "getPeerCertificates":
                                    throw new SSLPeerUnverifiedException("peer not authenticated");
                                default:
                                    throw new AssertionError("unexpected call " + method);
                            }
                        });
    }
}

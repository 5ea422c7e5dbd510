package dev.mailsec.mailets.connector;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailsec.tls.connector.ConnectorSocketFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.mail.MessagingException;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checks {@code ConnectorRemoteDelivery} makes before James's RemoteDelivery starts; delivery
 * with the connector's trust runs on a real James in the integration tests ({@code
 * ConnectorTrustTest}).
 */
class ConnectorRemoteDeliveryTest {

    @TempDir Path dir;

    private FakeMailetConfig.Builder config() throws Exception {
        Path file =
                Files.write(
                        dir.resolve("connectors.xml"),
                        ("<connectors><outbound name=\"partner\">"
                                        + "<recipientDomain>partner.test</recipientDomain><smartHost>localhost:2525</smartHost>"
                                        + "<tls level=\"verify\"/></outbound></connectors>")
                                .getBytes(StandardCharsets.UTF_8));
        return FakeMailetConfig.builder()
                .mailetName("ConnectorRemoteDelivery")
                .setProperty("connectors", file.toString())
                .setProperty(
                        ConnectorRemoteDelivery.SOCKET_FACTORY,
                        ConnectorSocketFactory.class.getName());
    }

    private static void init(FakeMailetConfig.Builder config) throws MessagingException {
        new ConnectorRemoteDelivery(null, null, null, null).init(config.build());
    }

    @Test
    void connectorIsRequired() {
        assertThatThrownBy(() -> init(config()))
                .isInstanceOf(MessagingException.class)
                .hasMessage("ConnectorRemoteDelivery: connector is required");
    }

    @Test
    void connectorMustBeAnOutboundConnectorOfTheFile() {
        assertThatThrownBy(() -> init(config().setProperty("connector", "parnter")))
                .isInstanceOf(MessagingException.class)
                .hasMessageStartingWith(
                        "ConnectorRemoteDelivery: connector: no outbound connector 'parnter' in ");
    }

    @Test
    void socketFactoryMustBeTheConnectorsOneOrTheTrustWouldNotApply() {
        assertThatThrownBy(
                        () ->
                                init(
                                        config().setProperty("connector", "partner")
                                                .setProperty(
                                                        ConnectorRemoteDelivery.SOCKET_FACTORY,
                                                        "javax.net.ssl.SSLSocketFactory")))
                .isInstanceOf(MessagingException.class)
                .hasMessageStartingWith(
                        "ConnectorRemoteDelivery: "
                                + ConnectorRemoteDelivery.SOCKET_FACTORY
                                + ": must be ")
                .hasMessageEndingWith("got 'javax.net.ssl.SSLSocketFactory'");
    }
}

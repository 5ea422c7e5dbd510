package dev.mailsec.mailets.connector;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import javax.mail.MessagingException;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checks {@code DaneRemoteDelivery} makes before James's RemoteDelivery starts; its MX view is
 * {@link DaneDeliveryDnsTest}'s, delivery itself runs on a real James in {@code DaneDeliveryTest}.
 */
class DaneRemoteDeliveryTest {

    @TempDir Path dir;

    private static void init(FakeMailetConfig.Builder config) throws MessagingException {
        new DaneRemoteDelivery(null, null, null, null).init(config.build());
    }

    private static FakeMailetConfig.Builder enforce() {
        return FakeMailetConfig.builder()
                .mailetName("DaneRemoteDelivery")
                .setProperty("dane", "enforce")
                .setProperty("fallbackProcessor", "connector-p")
                .setProperty("startTLS", "true")
                .setProperty("mail.smtp.starttls.required", "true")
                .setProperty(
                        "mail.smtp.ssl.socketFactory.class",
                        "dev.mailsec.tls.connector.ConnectorSocketFactory");
    }

    @Test
    void modeIsRequiredAndOnlyEnforceOrFallback() {
        assertThatThrownBy(() -> init(FakeMailetConfig.builder().mailetName("DaneRemoteDelivery")))
                .isInstanceOf(MessagingException.class)
                .hasMessage("DaneRemoteDelivery: dane: expected enforce or fallback, got ''");
        assertThatThrownBy(() -> init(enforce().setProperty("dane", "testing")))
                .isInstanceOf(MessagingException.class)
                .hasMessage(
                        "DaneRemoteDelivery: dane: expected enforce or fallback, got 'testing'");
    }

    @Test
    void enforceShouldRefuseEveryParameterThatWouldLetMailOutWithoutDane() {
        assertThatThrownBy(
                        () -> init(enforce().setProperty("mail.smtp.starttls.required", "false")))
                .isInstanceOf(MessagingException.class)
                .hasMessage(
                        "DaneRemoteDelivery: mail.smtp.starttls.required: must be true for"
                                + " dane=enforce, got 'false'");
        assertThatThrownBy(() -> init(enforce().setProperty("startTLS", "false")))
                .isInstanceOf(MessagingException.class)
                .hasMessageStartingWith("DaneRemoteDelivery: startTLS: ");
        assertThatThrownBy(
                        () ->
                                init(
                                        enforce()
                                                .setProperty(
                                                        "mail.smtp.ssl.socketFactory.class",
                                                        "javax.net.ssl.SSLSocketFactory")))
                .isInstanceOf(MessagingException.class)
                .hasMessageStartingWith("DaneRemoteDelivery: mail.smtp.ssl.socketFactory.class: ");
        assertThatThrownBy(() -> init(enforce().setProperty("gateway", "relay.test")))
                .isInstanceOf(MessagingException.class)
                .hasMessageStartingWith("DaneRemoteDelivery: gateway: ")
                .hasMessageEndingWith("got 'relay.test'");
    }

    @Test
    void eachModeTakesItsOwnProcessor() {
        assertThatThrownBy(() -> init(enforce().setProperty("daneProcessor", "x")))
                .isInstanceOf(MessagingException.class)
                .hasMessageStartingWith("DaneRemoteDelivery: daneProcessor: not for dane=enforce");
        assertThatThrownBy(
                        () ->
                                init(
                                        FakeMailetConfig.builder()
                                                .mailetName("DaneRemoteDelivery")
                                                .setProperty("dane", "fallback")))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("daneProcessor");
    }

    @Test
    void aConnectorsFileWithoutDaneElementShouldFailTheStart() throws Exception {
        Path file = dir.resolve("connectors.xml");
        Files.writeString(file, "<connectors/>\n");

        assertThatThrownBy(() -> init(enforce().setProperty("connectors", file.toString())))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("DaneRemoteDelivery: connectors: ")
                .hasMessageContaining("has no <dane> element");
    }

    @Test
    void theConnectorOfTheClientCertificateShouldBeADaneOneAndOnlyForEnforce() throws Exception {
        Path file = dir.resolve("connectors.xml");
        Files.writeString(
                file,
                "<connectors><dane resolver=\"127.0.0.1:5353\"/>"
                        + "<outbound name=\"plain\"><recipientDomain>plain.test</recipientDomain>"
                        + "<tls level=\"required\"/></outbound></connectors>\n");

        assertThatThrownBy(
                        () ->
                                init(
                                        enforce()
                                                .setProperty("connectors", file.toString())
                                                .setProperty("connector", "plain")))
                .isInstanceOf(MessagingException.class)
                .hasMessage(
                        "DaneRemoteDelivery: connector: no outbound connector of level dane by"
                                + " that name in "
                                + file
                                + ", got 'plain'");
        assertThatThrownBy(
                        () ->
                                init(
                                        FakeMailetConfig.builder()
                                                .mailetName("DaneRemoteDelivery")
                                                .setProperty("dane", "fallback")
                                                .setProperty("daneProcessor", "connector-p-dane")
                                                .setProperty("connector", "p")))
                .isInstanceOf(MessagingException.class)
                .hasMessageStartingWith("DaneRemoteDelivery: connector: only for dane=enforce");
    }

    @Test
    void enforceWithoutConnectorShouldFailTheStartWhenADaneConnectorPresentsACertificate()
            throws Exception {
        Path file = dir.resolve("connectors.xml");
        Files.writeString(
                file,
                "<connectors><dane resolver=\"127.0.0.1:5353\"/>"
                        + "<outbound name=\"bank\"><recipientDomain>bank.test</recipientDomain>"
                        + "<tls level=\"dane\" clientCertificate=\"dkm:tls/bank\"/></outbound>"
                        + "</connectors>\n");

        // a processor printed without <connector> would deliver without the declared certificate
        assertThatThrownBy(() -> init(enforce().setProperty("connectors", file.toString())))
                .isInstanceOf(MessagingException.class)
                .hasMessageStartingWith(
                        "DaneRemoteDelivery: connector: required with dane=enforce: dane"
                                + " connector(s) [bank] of "
                                + file);
    }
}

package dev.mailsec.mailets.connector;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import javax.mail.MessagingException;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.Test;

/**
 * The checks {@code MtaStsRemoteDelivery} makes before James's RemoteDelivery starts; the MX view
 * it delivers with is {@link MtaStsDnsTest}'s, delivery itself runs on a real James in the MtaSts*
 * integration tests.
 */
class MtaStsRemoteDeliveryTest {

    private static void init(FakeMailetConfig.Builder config) throws MessagingException {
        new MtaStsRemoteDelivery(null, null, null, null).init(config.build());
    }

    private static FakeMailetConfig.Builder config() {
        return FakeMailetConfig.builder().mailetName("MtaStsRemoteDelivery");
    }

    @Test
    void modeIsRequiredAndOnlyEnforceOrReport() {
        assertThatThrownBy(() -> init(config()))
                .isInstanceOf(MessagingException.class)
                .hasMessage("MtaStsRemoteDelivery: mtaSts: expected enforce or report, got ''");
        assertThatThrownBy(() -> init(config().setProperty("mtaSts", "testing")))
                .isInstanceOf(MessagingException.class)
                .hasMessage(
                        "MtaStsRemoteDelivery: mtaSts: expected enforce or report, got 'testing'");
    }

    @Test
    void gatewayIsRefusedSinceThePolicyNamesTheMxHosts() {
        assertThatThrownBy(
                        () ->
                                init(
                                        config().setProperty("mtaSts", "enforce")
                                                .setProperty("gateway", "relay.test")))
                .isInstanceOf(MessagingException.class)
                .hasMessageStartingWith("MtaStsRemoteDelivery: gateway: ")
                .hasMessageEndingWith("got 'relay.test'");
    }

    @Test
    void enforceProcessorOnlyWithReport() {
        assertThatThrownBy(
                        () ->
                                init(
                                        config().setProperty("mtaSts", "ENFORCE")
                                                .setProperty("enforceProcessor", "sts")))
                .isInstanceOf(MessagingException.class)
                .hasMessage(
                        "MtaStsRemoteDelivery: enforceProcessor is for mtaSts=report (the fallback delivery), got 'sts'"
                                + " with mtaSts=enforce");
    }

    @Test
    void enforceProcessorMustNameAProcessor() {
        assertThatThrownBy(
                        () ->
                                init(
                                        config().setProperty("mtaSts", "report")
                                                .setProperty("enforceProcessor", "two words")))
                .isInstanceOf(MessagingException.class)
                .hasMessage(
                        "MtaStsRemoteDelivery: enforceProcessor: must name a processor, got 'two words'");
    }
}

package dev.mailsec.mailets;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailsec.mailets.connector.CheckInboundConnector;
import dev.mailsec.mailets.connector.ConnectorRemoteDelivery;
import dev.mailsec.mailets.connector.ConnectorsRemoteDelivery;
import dev.mailsec.mailets.connector.ExplainConnectorBounce;
import dev.mailsec.mailets.connector.MtaStsRemoteDelivery;
import dev.mailsec.mailets.connector.RouteByMtaSts;
import dev.mailsec.mailets.dkim.SignDkim;
import dev.mailsec.mailets.dkim.VerifyDkim;
import dev.mailsec.mailets.rights.DecryptRightsProtected;
import dev.mailsec.mailets.rights.EnforceRights;
import dev.mailsec.mailets.rights.ProtectMessage;
import dev.mailsec.mailets.smime.DecryptSmime;
import dev.mailsec.mailets.smime.EncryptSmime;
import dev.mailsec.mailets.smime.SignSmime;
import dev.mailsec.mailets.smime.VerifySmime;
import java.lang.reflect.Constructor;
import java.util.stream.Stream;
import javax.inject.Inject;
import javax.mail.MessagingException;
import org.apache.mailet.Mailet;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every mailet of the pack refuses an unknown parameter with one message that starts with its own
 * name.
 */
class UnknownParameterTest {

    static Stream<Class<? extends Mailet>> mailets() {
        return Stream.of(
                AddTlsTrace.class,
                HoldInRepository.class,
                CheckInboundConnector.class,
                ConnectorRemoteDelivery.class,
                ConnectorsRemoteDelivery.class,
                ExplainConnectorBounce.class,
                MtaStsRemoteDelivery.class,
                RouteByMtaSts.class,
                SignDkim.class,
                VerifyDkim.class,
                DecryptRightsProtected.class,
                EnforceRights.class,
                ProtectMessage.class,
                DecryptSmime.class,
                EncryptSmime.class,
                SignSmime.class,
                VerifySmime.class);
    }

    @ParameterizedTest
    @MethodSource("mailets")
    void anUnknownParameterShouldFailInitNamingMailetAndParameter(Class<? extends Mailet> type)
            throws Exception {
        Mailet mailet = instantiate(type);
        assertThatThrownBy(
                        () ->
                                mailet.init(
                                        FakeMailetConfig.builder()
                                                .mailetName("m")
                                                .setProperty("bogusParameter", "x")
                                                .build()))
                .isInstanceOf(MessagingException.class)
                .hasMessageStartingWith(
                        type.getSimpleName() + ": unknown parameter 'bogusParameter'; known: ");
    }

    /**
     * The constructor James uses (no arguments, or the {@code @Inject} one with its collaborators
     * left out).
     */
    private static Mailet instantiate(Class<? extends Mailet> type) throws Exception {
        for (Constructor<?> c : type.getConstructors()) {
            if (c.getParameterCount() == 0) {
                return (Mailet) c.newInstance();
            }
        }
        for (Constructor<?> c : type.getConstructors()) {
            if (c.isAnnotationPresent(Inject.class)) {
                return (Mailet) c.newInstance(new Object[c.getParameterCount()]);
            }
        }
        throw new AssertionError(type + " has no constructor James could use");
    }
}

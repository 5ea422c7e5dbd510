package dev.mailsec.mailets.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.mail.MessagingException;
import org.apache.james.transport.mailets.remote.delivery.RemoteDeliveryConfiguration;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.Test;

/**
 * Our RemoteDelivery subclasses refuse misspelt parameters, which James's RemoteDelivery ignores in
 * silence.
 */
class RemoteDeliveryParametersTest {

    @Test
    void everyParameterJamesRemoteDeliveryReadsShouldBeKnown() throws Exception {
        // the parameter names of James 3.8.1 as its own class declares them, not as we copied them
        List<String> james = new ArrayList<>();
        for (Field f : RemoteDeliveryConfiguration.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                james.add((String) f.get(null));
            }
        }
        james.remove(RemoteDeliveryConfiguration.ADDRESS_PORT_SEPARATOR);
        james.remove(RemoteDeliveryConfiguration.JAVAX_PREFIX);
        assertThat(james).hasSizeGreaterThan(20).contains("startTLS", "gatewayPassword");
        assertThat(RemoteDeliveryParameters.JAMES).containsAll(james);
        assertThat(RemoteDeliveryConfiguration.JAVAX_PREFIX)
                .isEqualTo(RemoteDeliveryParameters.JAVAMAIL_PREFIX);

        List<String> given = new ArrayList<>(james);
        given.addAll(
                List.of(
                        "deliveryThreads",
                        "mail.smtp.starttls.required",
                        "mail.smtp.ssl.protocols",
                        "onMailetException"));
        assertThatCode(() -> RemoteDeliveryParameters.check("X", given.iterator(), Set.of()))
                .doesNotThrowAnyException();
    }

    @Test
    void connectorRemoteDeliveryShouldRefuseAMisspeltParameter() {
        ConnectorRemoteDelivery mailet = new ConnectorRemoteDelivery(null, null, null, null);
        assertThatThrownBy(
                        () ->
                                mailet.init(
                                        FakeMailetConfig.builder()
                                                .mailetName("c")
                                                .setProperty("connector", "bank")
                                                .setProperty("verifyServerIdentiy", "true")
                                                .build()))
                .isInstanceOf(MessagingException.class)
                .hasMessageStartingWith(
                        "ConnectorRemoteDelivery: unknown parameter 'verifyServerIdentiy'; known: ")
                .hasMessageContaining("connector, connectors,")
                .hasMessageEndingWith("verifyServerIdentity, mail.*");
    }

    @Test
    void mtaStsRemoteDeliveryShouldRefuseAMisspeltParameter() {
        MtaStsRemoteDelivery mailet = new MtaStsRemoteDelivery(null, null, null, null);
        assertThatThrownBy(
                        () ->
                                mailet.init(
                                        FakeMailetConfig.builder()
                                                .mailetName("m")
                                                .setProperty("mtaSts", "enforce")
                                                .setProperty("startTls", "true")
                                                .build()))
                .isInstanceOf(MessagingException.class)
                .hasMessageStartingWith(
                        "MtaStsRemoteDelivery: unknown parameter 'startTls'; known: ")
                .hasMessageContaining("enforceProcessor")
                .hasMessageContaining("mtaSts");
    }
}

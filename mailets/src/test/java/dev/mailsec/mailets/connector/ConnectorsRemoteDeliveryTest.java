package dev.mailsec.mailets.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.mail.MessagingException;
import org.apache.james.core.MailAddress;
import org.apache.mailet.Mail;
import org.apache.mailet.ProcessingState;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The parts of the generic connector route that need no James queue: its parameters, and mail it
 * has no delivery for (an mta-sts connector has its own route), which it holds instead of
 * delivering.
 */
class ConnectorsRemoteDeliveryTest {

    @TempDir Path dir;

    private Path connectorsFile() throws Exception {
        return Files.write(
                dir.resolve("connectors.xml"),
                ("<connectors><outbound name=\"sts\">"
                                + "<recipientDomain>sts.test</recipientDomain><tls level=\"mta-sts\" fallback=\"opportunistic\"/>"
                                + "</outbound></connectors>")
                        .getBytes(StandardCharsets.UTF_8));
    }

    private static ConnectorsRemoteDelivery mailet(FakeMailetConfig config)
            throws MessagingException {
        ConnectorsRemoteDelivery mailet = new ConnectorsRemoteDelivery(null, null, null, null);
        mailet.init(config);
        return mailet;
    }

    @Test
    void mailNoRouteOfItsOwnServesIsHeldInErrorNeverDelivered() throws Exception {
        ConnectorsRemoteDelivery mailet =
                mailet(
                        FakeMailetConfig.builder()
                                .mailetName("ConnectorsRemoteDelivery")
                                .setProperty("connectors", connectorsFile().toString())
                                .setProperty("bounceProcessor", "bounces")
                                .build());
        FakeMail mail =
                FakeMail.builder().name("m").recipients("a@sts.test", "b@elsewhere.test").build();

        mailet.service(mail);

        assertThat(mail.getState()).isEqualTo(Mail.ERROR);
        assertThat(mail.getRecipients())
                .containsExactly(
                        new MailAddress("a@sts.test"), new MailAddress("b@elsewhere.test"));
        assertThat(mail.getErrorMessage())
                .startsWith("ConnectorsRemoteDelivery: no outbound connector route for");
        assertThat(mailet.requiredProcessingState())
                .containsExactly(new ProcessingState("bounces"));
    }

    @Test
    void bounceProcessorIsRequired() {
        assertThatThrownBy(
                        () ->
                                mailet(
                                        FakeMailetConfig.builder()
                                                .mailetName("ConnectorsRemoteDelivery")
                                                .setProperty(
                                                        "connectors", connectorsFile().toString())
                                                .build()))
                .isInstanceOf(MessagingException.class)
                .hasMessage("ConnectorsRemoteDelivery: bounceProcessor is required (e.g. bounces)");
    }

    @Test
    void missingConnectorsFileFailsTheStartNamingParameterAndFile() {
        Path missing = dir.resolve("nope.xml");
        assertThatThrownBy(
                        () ->
                                mailet(
                                        FakeMailetConfig.builder()
                                                .mailetName("ConnectorsRemoteDelivery")
                                                .setProperty("connectors", missing.toString())
                                                .setProperty("bounceProcessor", "bounces")
                                                .build()))
                .isInstanceOf(MessagingException.class)
                .hasMessageStartingWith("ConnectorsRemoteDelivery: connectors: ")
                .hasMessageContaining(missing.toString());
    }
}

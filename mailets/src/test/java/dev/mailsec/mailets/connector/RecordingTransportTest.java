package dev.mailsec.mailets.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import javax.mail.MessagingException;
import org.apache.james.transport.mailets.RemoteDelivery;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.Test;

/**
 * Every RemoteDelivery of the pack hands JavaMail the recording transport, whether or not the
 * operator's configuration names it (docs/tls-reports.md).
 */
class RecordingTransportTest {

    private static final String TRANSPORT = "dev.mailsec.tls.report.ReportingSmtpTransport";

    /**
     * The configuration {@code mailet} ends up with: GenericMailet keeps the config before {@code
     * init()} runs, which fails here on purpose (a bad parameter) before James's RemoteDelivery
     * needs its queue.
     */
    private static RemoteDelivery initFailing(RemoteDelivery mailet, FakeMailetConfig config) {
        assertThatThrownBy(() -> mailet.init(config)).isInstanceOf(MessagingException.class);
        return mailet;
    }

    @Test
    void everyPackRemoteDeliveryShouldUseTheRecordingTransportWhenNotConfigured() {
        FakeMailetConfig bad = FakeMailetConfig.builder().setProperty("outgoingQueue", "x").build();
        for (RemoteDelivery mailet :
                List.of(
                        new ReportingRemoteDelivery(null, null, null, null),
                        new MtaStsRemoteDelivery(null, null, null, null),
                        new ConnectorRemoteDelivery(null, null, null, null))) {
            initFailing(mailet, bad);
            assertThat(mailet.getInitParameter("mail.smtp.class"))
                    .as(mailet.getClass().getSimpleName())
                    .isEqualTo(TRANSPORT);
            List<String> names = new ArrayList<>();
            mailet.getInitParameterNames().forEachRemaining(names::add);
            assertThat(names).contains("mail.smtp.class", "outgoingQueue");
        }
    }

    @Test
    void anotherTransportShouldFailTheStartNamingTheParameter() {
        FakeMailetConfig other =
                FakeMailetConfig.builder()
                        .setProperty("mail.smtp.class", "com.sun.mail.smtp.SMTPTransport")
                        .build();
        assertThatThrownBy(() -> new ReportingRemoteDelivery(null, null, null, null).init(other))
                .isInstanceOf(MessagingException.class)
                .hasMessage(
                        "ReportingRemoteDelivery: mail.smtp.class: must be "
                                + TRANSPORT
                                + " (or left out), got 'com.sun.mail.smtp.SMTPTransport'");
    }

    @Test
    void theRecordingTransportNamedExplicitlyShouldBeKept() {
        FakeMailetConfig named =
                FakeMailetConfig.builder()
                        .setProperty("mail.smtp.class", TRANSPORT)
                        .setProperty("outgoingQueue", "outgoing")
                        .build();
        RemoteDelivery mailet =
                initFailing(new ReportingRemoteDelivery(null, null, null, null), named);
        assertThat(mailet.getInitParameter("mail.smtp.class")).isEqualTo(TRANSPORT);
    }

    @Test
    void aParameterJamesIgnoresShouldFailTheStartInsteadOfBeingIgnored() {
        FakeMailetConfig stockSample =
                FakeMailetConfig.builder().setProperty("outgoingQueue", "outgoing").build();
        assertThatThrownBy(
                        () -> new ReportingRemoteDelivery(null, null, null, null).init(stockSample))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("ReportingRemoteDelivery")
                .hasMessageContaining("outgoingQueue");
    }
}

package dev.mailsec.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailsec.it.harness.Delivery;
import dev.mailsec.it.harness.JamesExtension;
import java.util.UUID;
import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeUtility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A server that only speaks TLS 1.2 (the operator's {@code supportedProtocols}), requires client
 * certificates on its client-auth port, and runs a RecordTlsFacts hook told not to record them.
 */
class ServerTlsOptionsTest {

    private static final String BOB = "bob@mailsec.test";
    private static final String PASSWORD = "secret";

    @RegisterExtension
    static JamesExtension james =
            JamesExtension.builder()
                    .user(BOB, PASSWORD)
                    .supportedProtocols("TLSv1.2")
                    .withClientAuthServer()
                    .recordTlsFactsHandler(
                            "<handler class=\"dev.mailsec.smtp.RecordTlsFacts\">"
                                    + "<recordPeerCertificate>false</recordPeerCertificate></handler>")
                    .rootMailets(
                            ""
                                    + "<mailet match=\"All\" class=\"dev.mailsec.mailets.AddTlsTrace\"/>\n"
                                    + "<mailet match=\"All\" class=\"RemoveMimeHeader\"><name>X-Test-Tls12,X-Test-Tls13</name></mailet>\n"
                                    + "<mailet match=\"dev.mailsec.matchers.IsReceivedOverTls=TLSv1.2\" class=\"SetMimeHeader\">\n"
                                    + "  <name>X-Test-Tls12</name><value>yes</value>\n"
                                    + "</mailet>\n"
                                    + "<mailet match=\"dev.mailsec.matchers.IsReceivedOverTls=TLSv1.3\" class=\"SetMimeHeader\">\n"
                                    + "  <name>X-Test-Tls13</name><value>yes</value>\n"
                                    + "</mailet>\n")
                    .build();

    @Test
    void tls13MinimumShouldExcludeSessionServerLimitedToTls12() throws Exception {
        MimeMessage read = sendAndRead(Delivery.startTls());

        assertThat(MimeUtility.unfold(read.getHeader("X-Mailsec-TLS")[0]))
                .matches("TLSv1\\.2; cipher=TLS_[A-Z0-9_]+");
        assertThat(read.getHeader("X-Test-Tls12")).containsExactly("yes");
        assertThat(read.getHeader("X-Test-Tls13")).isNull();
    }

    @Test
    void clientCertificateShouldNotBeRecordedWhenHookIsToldNotTo() throws Exception {
        MimeMessage read =
                sendAndRead(
                        Delivery.startTlsWithClientCertificate(
                                james.pki().client("CN=relay.partner.test,O=Partner Test")));

        assertThat(MimeUtility.unfold(read.getHeader("X-Mailsec-TLS")[0]))
                .startsWith("TLSv1.2; cipher=TLS_")
                .doesNotContain("client-certificate");
    }

    @Test
    void clientAuthServerShouldRefuseClientWithoutCertificate() {
        assertThatThrownBy(
                        () ->
                                james.send(
                                        Delivery.startTlsToClientAuthPortWithoutCertificate()
                                                .to(BOB)
                                                .subject("no certificate " + UUID.randomUUID())))
                .isInstanceOf(MessagingException.class);
    }

    private static MimeMessage sendAndRead(Delivery delivery) throws Exception {
        String subject = "tls-options " + UUID.randomUUID();
        james.send(delivery.to(BOB).subject(subject));
        return james.awaitMessage(BOB, PASSWORD, subject);
    }
}

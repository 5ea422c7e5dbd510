package dev.mailsec.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsec.it.harness.Delivery;
import dev.mailsec.it.harness.ExposeTlsAttributes;
import dev.mailsec.it.harness.JamesExtension;
import dev.mailsec.it.harness.TestPki;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeUtility;
import org.bouncycastle.asn1.x509.GeneralName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 2's first feature end to end on a real James 3.8.1: the RecordTlsFacts hook records the TLS
 * facts, IsReceivedOverTls routes on them, AddTlsTrace shows them to the reader, as seen over IMAP.
 */
class TlsFactsEndToEndTest {

    private static final String BOB = "bob@mailsec.test";
    private static final String PASSWORD = "secret";
    private static final String TRACE = "X-Mailsec-TLS";
    private static final String OVER_TLS = "X-Test-Over-Tls";
    private static final String OVER_TLS_13 = "X-Test-Over-Tls13";
    private static final String IN_CLEAR = "X-Test-In-Clear";

    @RegisterExtension
    static JamesExtension james =
            JamesExtension.builder()
                    .user(BOB, PASSWORD)
                    .withClientAuthServer()
                    .rootMailets(
                            ""
                                    + "<mailet match=\"All\" class=\"dev.mailsec.mailets.AddTlsTrace\"/>\n"
                                    + "<mailet match=\"All\" class=\"dev.mailsec.it.harness.ExposeTlsAttributes\"/>\n"
                                    + "<mailet match=\"All\" class=\"RemoveMimeHeader\"><name>"
                                    + OVER_TLS
                                    + ","
                                    + OVER_TLS_13
                                    + ","
                                    + IN_CLEAR
                                    + "</name></mailet>\n"
                                    + "<matcher name=\"received-in-clear\" match=\"org.apache.james.mailetcontainer.impl.matchers.Not\">\n"
                                    + "  <matcher match=\"dev.mailsec.matchers.IsReceivedOverTls\"/>\n"
                                    + "</matcher>\n"
                                    + "<mailet match=\"received-in-clear\" class=\"SetMimeHeader\"><name>"
                                    + IN_CLEAR
                                    + "</name><value>yes</value></mailet>\n"
                                    + "<mailet match=\"dev.mailsec.matchers.IsReceivedOverTls\" class=\"ToProcessor\">\n"
                                    + "  <processor>received-over-tls</processor>\n"
                                    + "</mailet>\n")
                    .extraProcessors(
                            ""
                                    + "<processor state=\"received-over-tls\" enableJmx=\"false\">\n"
                                    + "  <mailet match=\"All\" class=\"SetMimeHeader\"><name>"
                                    + OVER_TLS
                                    + "</name><value>yes</value></mailet>\n"
                                    + "  <mailet match=\"dev.mailsec.matchers.IsReceivedOverTls=TLSv1.3\" class=\"SetMimeHeader\">\n"
                                    + "    <name>"
                                    + OVER_TLS_13
                                    + "</name><value>yes</value>\n"
                                    + "  </mailet>\n"
                                    + "  <mailet match=\"All\" class=\"ToProcessor\"><processor>transport</processor></mailet>\n"
                                    + "</processor>\n")
                    .build();

    @Test
    void plainSmtpShouldNotMatchIsReceivedOverTlsAndShowClear() throws Exception {
        MimeMessage read = sendAndRead(Delivery.plain());

        assertThat(trace(read)).isEqualTo("none; received in clear");
        assertThat(read.getHeader(OVER_TLS)).isNull();
        assertThat(read.getHeader(OVER_TLS_13)).isNull();
        assertThat(read.getHeader(IN_CLEAR)).containsExactly("yes");
        assertThat(read.getHeader(ExposeTlsAttributes.HEADER)).isNull();
    }

    @Test
    void startTlsShouldMatchAndRecordProtocolAndCipher() throws Exception {
        MimeMessage read = sendAndRead(Delivery.startTls());

        assertThat(read.getHeader(OVER_TLS)).containsExactly("yes");
        assertThat(read.getHeader(OVER_TLS_13)).containsExactly("yes");
        assertThat(read.getHeader(IN_CLEAR)).isNull();
        assertThat(trace(read)).matches("TLSv1\\.3; cipher=TLS_[A-Z0-9_]+");
        assertThat(attributes(read))
                .contains("org.apache.james.ssl.protocol=TLSv1.3")
                .anyMatch(attribute -> attribute.startsWith("org.apache.james.ssl.cipher=TLS_"))
                .noneMatch(attribute -> attribute.startsWith("dev.mailsec.tls.peer."));
    }

    @Test
    void implicitTlsShouldMatch() throws Exception {
        MimeMessage read = sendAndRead(Delivery.implicitTls());

        assertThat(read.getHeader(OVER_TLS)).containsExactly("yes");
        assertThat(read.getHeader(OVER_TLS_13)).containsExactly("yes");
        assertThat(trace(read)).startsWith("TLSv1.3; cipher=TLS_");
    }

    @Test
    void tls13MinimumShouldExcludeTls12Session() throws Exception {
        MimeMessage read = sendAndRead(Delivery.startTls().protocols("TLSv1.2"));

        assertThat(trace(read)).matches("TLSv1\\.2; cipher=TLS_[A-Z0-9_]+");
        assertThat(read.getHeader(OVER_TLS)).containsExactly("yes");
        assertThat(read.getHeader(OVER_TLS_13)).isNull();
    }

    @Test
    void clientCertificateSubjectAndAltNamesShouldBeRecorded() throws Exception {
        TestPki.Identity client =
                james.pki()
                        .client(
                                "CN=relay.partner.test,O=Partner Test",
                                new GeneralName(GeneralName.dNSName, "relay.partner.test"),
                                new GeneralName(GeneralName.rfc822Name, "postmaster@partner.test"));

        MimeMessage read = sendAndRead(Delivery.startTlsWithClientCertificate(client));

        assertThat(client.subject()).isEqualTo("CN=relay.partner.test,O=Partner Test");
        assertThat(trace(read))
                .startsWith("TLSv1.3; cipher=TLS_")
                .endsWith("; client-certificate=\"CN=relay.partner.test,O=Partner Test\"");
        assertThat(attributes(read))
                .contains(
                        "dev.mailsec.tls.peer.subject=CN=relay.partner.test,O=Partner Test",
                        "dev.mailsec.tls.peer.subjectAltNames=DNS:relay.partner.test,EMAIL:postmaster@partner.test");
        assertThat(read.getHeader(OVER_TLS)).containsExactly("yes");
    }

    @Test
    void traceForgedBySenderShouldBeReplaced() throws Exception {
        MimeMessage read =
                sendAndRead(
                        Delivery.plain()
                                .header(
                                        TRACE,
                                        "TLSv1.3; cipher=TLS_AES_256_GCM_SHA384; client-certificate=\"CN=bank\"")
                                .header(OVER_TLS, "yes"));

        assertThat(trace(read)).isEqualTo("none; received in clear");
        assertThat(read.getHeader(OVER_TLS)).isNull();
    }

    private static MimeMessage sendAndRead(Delivery delivery) throws Exception {
        String subject = "tls-facts " + UUID.randomUUID();
        james.send(delivery.to(BOB).subject(subject));
        return james.awaitMessage(BOB, PASSWORD, subject);
    }

    /** The one trace header, unfolded as a mail program shows it. */
    private static String trace(MimeMessage message) throws Exception {
        String[] values = message.getHeader(TRACE);
        assertThat(values).hasSize(1);
        return MimeUtility.unfold(values[0]);
    }

    private static List<String> attributes(MimeMessage message) throws Exception {
        String[] values = message.getHeader(ExposeTlsAttributes.HEADER);
        return values == null ? List.of() : Arrays.asList(values);
    }
}

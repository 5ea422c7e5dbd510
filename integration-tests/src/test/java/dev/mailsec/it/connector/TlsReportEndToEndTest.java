package dev.mailsec.it.connector;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mailsec.it.harness.ConnectorFixture;
import dev.mailsec.it.harness.Delivery;
import dev.mailsec.it.harness.JamesExtension;
import dev.mailsec.testsupport.Dnsmasq;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * TLS reporting (RFC 8460) end to end on a real James 3.8.1: the generic connector route delivers
 * by MX (a loopback dnsmasq on 127.78.0.1:53) to three partners on port 25 of loopback addresses,
 * {@code SendTlsReports} counts every session, and its reports (period of 3 s) arrive over SMTP in
 * the rua mailbox, read over IMAP:
 *
 * <ul>
 *   <li>{@code fine.test} ({@code required}): MX {@code mx.fine.test}, STARTTLS: 3 successful
 *       sessions;
 *   <li>{@code misnamed.test} ({@code verify}): MX {@code localhost}, a trusted certificate issued
 *       for {@code other.example}: held and bounced, every attempt a {@code
 *       certificate-host-mismatch};
 *   <li>{@code plain.test} ({@code opportunistic}): MX {@code mx.plain.test}, no STARTTLS: 2 mails
 *       delivered in clear, each a {@code starttls-not-supported} failure.
 * </ul>
 *
 * Each report's JSON is validated against RFC 8460's schema (test resource {@code
 * tlsrpt-report.schema.json}) and its counts summed per domain must match the traffic. Binds fixed
 * ports (53, 25): run under {@code flock /tmp/fixed-ports.lock}.
 */
class TlsReportEndToEndTest {

    private static final String BOB = "bob@mailsec.test";
    private static final String RUA = "tlsrpt@mailsec.test";
    private static final String PASSWORD = "secret";
    private static final String DNS = "127.78.0.1";

    private static final World WORLD = World.start();

    @RegisterExtension
    static JamesExtension james =
            JamesExtension.builder()
                    .user(BOB, PASSWORD)
                    .user(RUA, PASSWORD)
                    .dnsServer(DNS)
                    .rootMailets(
                            "<mailet match=\"All\" class=\"dev.mailsec.mailets.tls.SendTlsReports\">\n"
                                    + "  <store>file:"
                                    + WORLD.dir.resolve("store")
                                    + "</store>\n"
                                    + "  <orgName>Mailsec IT</orgName>\n"
                                    + "  <reportEmail>tls-reports@mailsec.test</reportEmail>\n"
                                    + "  <interval>3</interval>\n"
                                    + "  <checkEvery>1</checkEvery>\n"
                                    + "  <zoneFile>"
                                    + WORLD.dir.resolve("dns.zone")
                                    + "</zoneFile>\n"
                                    + "</mailet>\n"
                                    + "<mailet match=\"dev.mailsec.matchers.connector.RecipientConnectorIs=*,"
                                    + WORLD.fixture.connectorsFile()
                                    + "\" class=\"ToProcessor\">\n  <processor>connectors-outbound</processor>\n</mailet>\n")
                    .extraProcessors(
                            "<processor state=\"connectors-outbound\" enableJmx=\"false\">\n"
                                    + "  <mailet match=\"All\" class=\"dev.mailsec.mailets.connector.ConnectorsRemoteDelivery\">\n"
                                    + "    <connectors>"
                                    + WORLD.fixture.connectorsFile()
                                    + "</connectors>\n"
                                    + "    <bounceProcessor>bounces</bounceProcessor>\n"
                                    + "    <delayTime>1000</delayTime>\n"
                                    + "    <maxRetries>1</maxRetries>\n"
                                    + "  </mailet>\n"
                                    + "</processor>\n"
                                    + ConnectorFixture.bouncesProcessor(
                                            WORLD.fixture.connectorsFile()))
                    .build();

    /** The DNS, the three partners and the connectors file. */
    static final class World {
        final Path dir;
        final PartnerSmtpServer fine;
        final PartnerSmtpServer misnamed;
        final PartnerSmtpServer plain;
        final ConnectorFixture fixture;

        private World() throws Exception {
            dir = Files.createTempDirectory("mailsec-tlsrpt-it");
            PartnerPki pki = new PartnerPki();
            fine =
                    PartnerSmtpServer.withStartTlsOn(
                            pki.validServer("mx.fine.test"),
                            InetAddress.getByName("127.78.0.11"),
                            25);
            misnamed =
                    PartnerSmtpServer.withStartTlsOn(
                            pki.validServer("other.example"),
                            InetAddress.getByName("127.0.0.1"),
                            25);
            plain = PartnerSmtpServer.withoutStartTlsOn(InetAddress.getByName("127.78.0.13"), 25);
            Dnsmasq dns =
                    Dnsmasq.start(
                            dir,
                            DNS,
                            53,
                            "--host-record=localhost,127.0.0.1",
                            "--host-record=mx.fine.test,127.78.0.11",
                            "--host-record=mx.plain.test,127.78.0.13",
                            "--mx-host=fine.test,mx.fine.test,10",
                            "--mx-host=misnamed.test,localhost,10",
                            "--mx-host=plain.test,mx.plain.test,10");
            StringBuilder zone = new StringBuilder();
            for (String domain : List.of("fine.test", "misnamed.test", "plain.test")) {
                zone.append("_smtp._tls.")
                        .append(domain)
                        .append(". IN TXT \"v=TLSRPTv1; rua=mailto:")
                        .append(RUA)
                        .append("\"\n");
            }
            Files.writeString(dir.resolve("dns.zone"), zone);
            fixture =
                    ConnectorFixture.builder()
                            .trustByDefault(pki.trustingClientContext())
                            .connectors(
                                    dir.resolve("connectors.xml"),
                                    ConnectorFixture.outbound(
                                            "fine", null, "level=\"required\"", ""),
                                    ConnectorFixture.outbound(
                                            "misnamed", null, "level=\"verify\"", ""),
                                    ConnectorFixture.outbound(
                                            "plain", null, "level=\"opportunistic\"", ""))
                            .closing(fine, misnamed, plain, dns::close)
                            .build();
        }

        static World start() {
            try {
                return new World();
            } catch (Exception e) {
                throw new IllegalStateException(
                        "cannot start the MX partners (needs root for ports 53 and 25)", e);
            }
        }
    }

    @AfterAll
    static void stopWorld() throws Exception {
        WORLD.fixture.close();
    }

    @Test
    void aPeriodsSessionsShouldArriveAsValidReportsCountingTheTraffic() throws Exception {
        for (int i = 0; i < 3; i++) {
            send("fine");
        }
        String held = send("misnamed");
        for (int i = 0; i < 2; i++) {
            send("plain");
        }
        // the misnamed partner's mail is bounced after its retry: every attempt is counted then
        Inbox.awaitMessageContaining(
                james.harness().imapPort(), BOB, PASSWORD, held, Duration.ofSeconds(60));
        assertThat(WORLD.misnamed.receivedFor(held)).isEmpty();
        int misnamedAttempts = WORLD.misnamed.connections();
        assertThat(misnamedAttempts).isGreaterThanOrEqualTo(2);

        Map<String, long[]> counts = Map.of();
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            counts = reportedCounts();
            if (counts.containsKey("fine.test/sessions")
                    && counts.get("fine.test/sessions")[0] == 3
                    && counts.containsKey("plain.test/starttls-not-supported")
                    && counts.get("plain.test/starttls-not-supported")[0] == 2
                    && counts.containsKey("misnamed.test/certificate-host-mismatch")
                    && counts.get("misnamed.test/certificate-host-mismatch")[0]
                            == misnamedAttempts) {
                break;
            }
            Thread.sleep(1000);
        }
        assertThat(flatten(counts))
                .as("sessions reported per domain and result")
                .containsEntry("fine.test/sessions", 3L)
                .containsEntry("fine.test/failures", 0L)
                .containsEntry("plain.test/starttls-not-supported", 2L)
                .containsEntry("plain.test/sessions", 0L)
                .containsEntry("misnamed.test/certificate-host-mismatch", (long) misnamedAttempts)
                .containsEntry("misnamed.test/sessions", 0L);
        assertThat(WORLD.fine.tlsSessions()).isEqualTo(3);
    }

    private static Map<String, Long> flatten(Map<String, long[]> counts) {
        Map<String, Long> out = new HashMap<>();
        counts.forEach((k, v) -> out.put(k, v[0]));
        return out;
    }

    /**
     * Every report in the rua mailbox, checked (headers, attachment, schema) and summed: {@code
     * domain/sessions}, {@code domain/failures}, {@code domain/RESULT-TYPE}.
     */
    private static Map<String, long[]> reportedCounts() throws Exception {
        Map<String, long[]> counts = new HashMap<>();
        for (String subject : james.harness().subjects(RUA, PASSWORD)) {
            assertThat(subject)
                    .matches("Report Domain: [a-z.]+ Submitter: mailsec\\.test Report-ID: <.+>");
            MimeMessage m = james.harness().awaitMessage(RUA, PASSWORD, subject);
            String domain = m.getHeader("TLS-Report-Domain", null);
            assertThat(m.getHeader("TLS-Report-Submitter", null)).isEqualTo("mailsec.test");
            assertThat(m.getContentType()).contains("multipart/report").contains("tlsrpt");
            JsonNode report = TlsReportAttachment.read(m, domain);
            for (JsonNode policy : report.get("policies")) {
                assertThat(policy.get("policy").get("policy-domain").asText()).isEqualTo(domain);
                assertThat(policy.get("policy").get("policy-type").asText())
                        .isEqualTo("no-policy-found");
                add(
                        counts,
                        domain + "/sessions",
                        policy.get("summary").get("total-successful-session-count").asLong());
                add(
                        counts,
                        domain + "/failures",
                        policy.get("summary").get("total-failure-session-count").asLong());
                JsonNode details = policy.get("failure-details");
                if (details != null) {
                    for (JsonNode d : details) {
                        add(
                                counts,
                                domain + "/" + d.get("result-type").asText(),
                                d.get("failed-session-count").asLong());
                        assertThat(d.get("receiving-mx-hostname").asText())
                                .isIn("localhost", "mx.plain.test");
                        assertThat(d.get("receiving-ip").asText()).isIn("127.0.0.1", "127.78.0.13");
                    }
                }
            }
        }
        return counts;
    }

    private static void add(Map<String, long[]> counts, String key, long n) {
        counts.computeIfAbsent(key, k -> new long[1])[0] += n;
    }

    private static String send(String connector) throws Exception {
        String recipient = "user-" + UUID.randomUUID() + "@" + connector + ".test";
        james.send(Delivery.plain().from(BOB).to(recipient).subject("to " + connector));
        return recipient;
    }
}

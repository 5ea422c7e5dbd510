package dev.mailsec.it.connector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsec.it.harness.ConnectorFixture;
import dev.mailsec.it.harness.Delivery;
import dev.mailsec.it.harness.JamesExtension;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * MTA-STS {@code enforce} on delivery by MX, against partners that break it, end to end on a real
 * James 3.8.1 ({@link LoopbackMtaSts}: loopback DNS, policies over HTTPS). Every test domain has
 * the MX host {@code localhost} and an {@code enforce} policy listing it, so only the MX host's TLS
 * can be the reason mail does not go. The connector {@code sts} falls back to {@code opportunistic}
 * (which would deliver in clear and accept any certificate) and has {@code
 * minimumProtocol="TLSv1.2"}. Each test puts its own partner on 127.0.0.1:25:
 *
 * <ul>
 *   <li>no STARTTLS: held, retried, bounced; the same partner does get mail for a domain without
 *       policy, in clear (what the fallback would have done);
 *   <li>a certificate James trusts, issued for another name than the MX host: held, then bounced;
 *   <li>TLS 1.1 only (a partner in its own JVM, see {@link OldProtocolPartner}; {@code openssl
 *       s_client} proves it really completes a TLS 1.1 handshake): held, then bounced.
 * </ul>
 *
 * In every case the partner receives nothing for the enforce domain.
 */
class MtaStsEnforceMxTest {

    private static final String BOB = "bob@mailsec.test";
    private static final String PASSWORD = "secret";
    private static final String ENFORCE_LOCALHOST =
            "version: STSv1\nmode: enforce\nmx: localhost\nmax_age: 86400\n";

    private static final Partner PARTNER = Partner.start();

    @RegisterExtension
    static JamesExtension james =
            JamesExtension.builder()
                    .user(BOB, PASSWORD)
                    .dnsServer(LoopbackMtaSts.DNS_ADDRESS)
                    .rootMailets(PARTNER.fixture.routingSteps())
                    .extraProcessors(PARTNER.fixture.processors())
                    .build();

    static final class Partner {
        final PartnerPki pki;
        final LoopbackMtaSts world;
        final ConnectorFixture fixture;

        private Partner() throws Exception {
            pki = new PartnerPki();
            // James trusts the partners' CA (and only it): the policy host's and the MX hosts'
            // certificates
            ConnectorFixture.Builder fixtureBuilder =
                    ConnectorFixture.builder().trustByDefault(pki.trustingClientContext());
            world =
                    new LoopbackMtaSts(
                            pki,
                            null,
                            Map.of(
                                    "no-starttls.test",
                                    ENFORCE_LOCALHOST,
                                    "wrong-name.test",
                                    ENFORCE_LOCALHOST,
                                    "old-tls.test",
                                    ENFORCE_LOCALHOST),
                            List.of("plain.test"));
            fixture =
                    fixtureBuilder
                            .connectors(
                                    world.dir.resolve("connectors.xml"),
                                    "  <outbound name=\"sts\">\n"
                                            + "    <recipientDomain>no-starttls.test</recipientDomain>\n"
                                            + "    <recipientDomain>wrong-name.test</recipientDomain>\n"
                                            + "    <recipientDomain>old-tls.test</recipientDomain>\n"
                                            + "    <recipientDomain>plain.test</recipientDomain>\n"
                                            + "    <tls level=\"mta-sts\" fallback=\"opportunistic\" minimumProtocol=\"TLSv1.2\"/>\n"
                                            + "  </outbound>\n")
                            .closing(world)
                            .build();
        }

        static Partner start() {
            try {
                return new Partner();
            } catch (Exception e) {
                throw new IllegalStateException(
                        "cannot start the MTA-STS world (needs root for ports 53, 443, 25)", e);
            }
        }

        void close() throws Exception {
            fixture.close();
        }
    }

    @AfterAll
    static void stopWorld() throws Exception {
        PARTNER.close();
    }

    @Test
    void mxWithoutStartTlsShouldHoldThenBounceAndReceiveNothingInClear() throws Exception {
        try (PartnerSmtpServer partner =
                PartnerSmtpServer.withoutStartTlsOn(LoopbackMtaSts.MX_ADDRESS, 25)) {
            String recipient = "user-" + UUID.randomUUID() + "@no-starttls.test";
            james.send(Delivery.plain().from(BOB).to(recipient).subject("to no-starttls.test"));

            assertBounced(recipient, "no-starttls.test");
            assertThat(partner.receivedFor(recipient)).isEmpty();
            assertThat(partner.connections())
                    .as("attempts that reached the MX host")
                    .isGreaterThanOrEqualTo(2);

            // the same partner takes mail for a domain without policy: at the fallback level, in
            // clear
            String plain = "user-" + UUID.randomUUID() + "@plain.test";
            james.send(Delivery.plain().from(BOB).to(plain).subject("to plain.test"));
            List<PartnerSmtpServer.Received> received = awaitReceived(partner, plain);
            assertThat(received).hasSize(1);
            assertThat(received.get(0).protocol).isEqualTo("clear");
        }
    }

    @Test
    void mxCertificateForAnotherNameShouldHoldThenBounce() throws Exception {
        try (PartnerSmtpServer partner =
                PartnerSmtpServer.withStartTlsOn(
                        PARTNER.pki.validServer("mx.elsewhere.test"),
                        LoopbackMtaSts.MX_ADDRESS,
                        25)) {
            String recipient = "user-" + UUID.randomUUID() + "@wrong-name.test";
            james.send(Delivery.plain().from(BOB).to(recipient).subject("to wrong-name.test"));

            assertBounced(recipient, "wrong-name.test");
            assertThat(partner.receivedFor(recipient)).isEmpty();
            assertThat(partner.connections())
                    .as("attempts that reached the MX host")
                    .isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void mxOfferingOnlyTls11ShouldHoldThenBounce() throws Exception {
        try (OldProtocolPartner partner =
                new OldProtocolPartner(
                        PARTNER.pki, "localhost", LoopbackMtaSts.MX_ADDRESS, "TLSv1.1")) {
            assertThat(opensslHandshake("-tls1_1"))
                    .as("the partner completes a TLS 1.1 handshake")
                    .contains("Protocol  : TLSv1.1")
                    .doesNotContain("Cipher is (NONE)");
            assertThat(opensslHandshake("-tls1_2"))
                    .as("and refuses TLS 1.2")
                    .contains("Cipher is (NONE)");
            // the partner runs in its own JVM and reports its counts every 100 ms: wait for the two
            // probes to show
            int probes = awaitAtLeast(partner::connections, 2);

            String recipient = "user-" + UUID.randomUUID() + "@old-tls.test";
            james.send(Delivery.plain().from(BOB).to(recipient).subject("to old-tls.test"));

            assertBounced(recipient, "old-tls.test");
            assertThat(awaitAtLeast(() -> partner.connections() - probes, 2))
                    .as("attempts that reached the MX host")
                    .isGreaterThanOrEqualTo(2);
            assertThat(partner.received()).as("messages the partner accepted").isZero();
        }
    }

    /**
     * The count once it reaches {@code n}, or as it is after 10 s (counts reported from another JVM
     * arrive late).
     */
    private static int awaitAtLeast(IntSupplier count, int n) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(10);
        while (count.getAsInt() < n && Instant.now().isBefore(deadline)) {
            Thread.sleep(50);
        }
        return count.getAsInt();
    }

    private static void assertBounced(String recipient, String domain) throws Exception {
        String dsn =
                Inbox.awaitMessageContaining(
                        james.harness().imapPort(),
                        BOB,
                        PASSWORD,
                        recipient,
                        Duration.ofSeconds(90));
        assertThat(dsn)
                .contains("Action: failed")
                .contains("outbound connector 'sts' delivers by MTA-STS")
                .contains("MTA-STS policy of " + domain + ": mode=enforce mx=[localhost]");
    }

    private static List<PartnerSmtpServer.Received> awaitReceived(
            PartnerSmtpServer partner, String recipient) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(30);
        while (partner.receivedFor(recipient).isEmpty() && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
        }
        return partner.receivedFor(recipient);
    }

    /**
     * What {@code openssl s_client -starttls smtp} reports for a handshake with the partner at the
     * given version.
     */
    private static String opensslHandshake(String version) throws Exception {
        Process openssl =
                new ProcessBuilder(
                                "openssl",
                                "s_client",
                                "-starttls",
                                "smtp",
                                "-connect",
                                LoopbackMtaSts.MX_ADDRESS.getHostAddress() + ":25",
                                version,
                                "-cipher",
                                "DEFAULT@SECLEVEL=0",
                                "-servername",
                                "localhost")
                        .redirectErrorStream(true)
                        .start();
        openssl.getOutputStream().close();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = openssl.getInputStream()) {
            in.transferTo(out);
        }
        if (!openssl.waitFor(30, TimeUnit.SECONDS)) {
            openssl.destroyForcibly();
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}

package dev.mailsec.it.connector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsec.it.harness.ConnectorFixture;
import dev.mailsec.it.harness.Delivery;
import dev.mailsec.it.harness.JamesExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * MTA-STS {@code enforce} requires a certificate James trusts for the MX host, end to end on a real
 * James 3.8.1 ({@link LoopbackMtaSts}): the MX host {@code localhost} is in the policy, but its
 * certificate comes from a CA James's JVM does not trust. Mail to the enforce domain is held,
 * retried and bounced, and the partner gets nothing; mail to a domain without policy reaches the
 * same partner at the fallback level {@code required} (any certificate), which shows the partner
 * was reachable and the certificate was the reason.
 */
class MtaStsEnforceTlsTest {

    private static final String BOB = "bob@mailsec.test";
    private static final String PASSWORD = "secret";

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
        final LoopbackMtaSts world;
        final ConnectorFixture fixture;

        private Partner() throws Exception {
            PartnerPki trusted = new PartnerPki();
            PartnerPki untrusted = new PartnerPki();
            // James trusts the policy host's CA, not the CA of the MX host's certificate
            ConnectorFixture.Builder fixtureBuilder =
                    ConnectorFixture.builder().trustByDefault(trusted.trustingClientContext());
            world =
                    new LoopbackMtaSts(
                            trusted,
                            untrusted.validServer("localhost"),
                            Map.of(
                                    "untrusted-mx.test",
                                    "version: STSv1\nmode: enforce\nmx: localhost\nmax_age: 86400\n"),
                            List.of("plain-mx.test"));
            fixture =
                    fixtureBuilder
                            .connectors(
                                    world.dir.resolve("connectors.xml"),
                                    "  <outbound name=\"sts\">\n"
                                            + "    <recipientDomain>untrusted-mx.test</recipientDomain>\n"
                                            + "    <recipientDomain>plain-mx.test</recipientDomain>\n"
                                            + "    <tls level=\"mta-sts\" fallback=\"required\"/>\n"
                                            + "  </outbound>\n")
                            .closing(world)
                            .build();
        }

        static Partner start() {
            try {
                return new Partner();
            } catch (Exception e) {
                throw new IllegalStateException(
                        "cannot start the MTA-STS partner (needs root for ports 53, 443, 25)", e);
            }
        }

        void close() throws Exception {
            fixture.close();
        }
    }

    @AfterAll
    static void stopPartner() throws Exception {
        PARTNER.close();
    }

    @Test
    void enforcePolicyWithAnUntrustedMxCertificateShouldHoldThenBounce() throws Exception {
        int connectionsBefore = PARTNER.world.smtp.connections();
        String recipient = "user-" + UUID.randomUUID() + "@untrusted-mx.test";
        james.send(Delivery.plain().from(BOB).to(recipient).subject("to untrusted-mx.test"));

        String dsn =
                Inbox.awaitMessageContaining(
                        james.harness().imapPort(),
                        BOB,
                        PASSWORD,
                        recipient,
                        Duration.ofSeconds(60));
        assertThat(dsn)
                .contains("Action: failed")
                .contains("outbound connector 'sts' delivers by MTA-STS")
                .contains("MTA-STS policy of untrusted-mx.test: mode=enforce mx=[localhost]");
        assertThat(PARTNER.world.smtp.receivedFor(recipient)).isEmpty();
        assertThat(PARTNER.world.smtp.connections() - connectionsBefore)
                .as("attempts that reached the MX host")
                .isGreaterThanOrEqualTo(2);
    }

    @Test
    void domainWithoutPolicyShouldReachTheSameMxAtTheFallbackLevel() throws Exception {
        String recipient = "user-" + UUID.randomUUID() + "@plain-mx.test";
        james.send(Delivery.plain().from(BOB).to(recipient).subject("to plain-mx.test"));

        Instant deadline = Instant.now().plusSeconds(30);
        while (PARTNER.world.smtp.receivedFor(recipient).isEmpty()
                && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
        }
        assertThat(PARTNER.world.smtp.receivedFor(recipient)).hasSize(1);
        assertThat(PARTNER.world.smtp.receivedFor(recipient).get(0).protocol).isEqualTo("TLSv1.3");
    }
}

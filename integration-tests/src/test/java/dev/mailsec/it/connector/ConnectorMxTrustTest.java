package dev.mailsec.it.connector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsec.it.harness.ConnectorFixture;
import dev.mailsec.it.harness.Delivery;
import dev.mailsec.it.harness.JamesExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A {@code verify} connector delivering by MX with its own trust store and expected names, end to
 * end on a real James 3.8.1 through the loopback DNS of {@link LoopbackMtaSts}: every test domain
 * has the MX host {@code localhost} (127.0.0.1:25), where the partner presents a certificate for
 * {@code localhost} from a private CA that James's JVM does not trust. Three connectors deliver to
 * that same MX host with different trust, which a choice of context by host alone could not tell
 * apart:
 *
 * <ul>
 *   <li>{@code ownmx}: the partner's CA as {@code trustStore}: delivered over TLS 1.3;
 *   <li>{@code jvmmx}: plain {@code verify} (the JVM's trust store): held, then bounced;
 *   <li>{@code misnamedmx}: the partner's CA, but {@code expectedName} {@code mx.partner.test}:
 *       held, then bounced.
 * </ul>
 */
class ConnectorMxTrustTest {

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
            PartnerPki publicCa = new PartnerPki();
            PartnerPki partnerCa = new PartnerPki();
            ConnectorFixture.Builder fixtureBuilder =
                    ConnectorFixture.builder().trustByDefault(publicCa.trustingClientContext());
            world =
                    new LoopbackMtaSts(
                            publicCa,
                            partnerCa.validServer("localhost"),
                            Map.of("unused.test", ""),
                            List.of("ownmx.test", "jvmmx.test", "misnamedmx.test"));
            Path partnerPem = world.dir.resolve("partner-ca.pem");
            partnerCa.writeCaPem(partnerPem);
            fixture =
                    fixtureBuilder
                            .connectors(
                                    world.dir.resolve("connectors.xml"),
                                    outbound("ownmx", "trustStore=\"" + partnerPem + "\"", "")
                                            + outbound("jvmmx", "", "")
                                            + outbound(
                                                    "misnamedmx",
                                                    "trustStore=\"" + partnerPem + "\"",
                                                    "<expectedName>mx.partner.test</expectedName>"))
                            .locatedPlans()
                            .closing(world)
                            .build();
        }

        private static String outbound(String name, String trust, String names) {
            return ConnectorFixture.outbound(name, null, "level=\"verify\" " + trust, names);
        }

        static Partner start() {
            try {
                return new Partner();
            } catch (Exception e) {
                throw new IllegalStateException(
                        "cannot start the MX partner (needs root for ports 53, 443, 25)", e);
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
    void connectorTrustStoreShouldVerifyAnMxHostTheJvmDoesNotTrust() throws Exception {
        String recipient = send("ownmx");

        Instant deadline = Instant.now().plusSeconds(30);
        while (PARTNER.world.smtp.receivedFor(recipient).isEmpty()
                && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
        }
        assertThat(PARTNER.world.smtp.receivedFor(recipient)).hasSize(1);
        assertThat(PARTNER.world.smtp.receivedFor(recipient).get(0).protocol).isEqualTo("TLSv1.3");
    }

    @Test
    void theSameMxHostThroughAConnectorWithoutOwnTrustShouldGetNothing() throws Exception {
        assertHeldThenBounced("jvmmx", "certificate trusted and issued for the host");
    }

    @Test
    void anMxCertificateWithoutTheExpectedNameShouldGetNothing() throws Exception {
        assertHeldThenBounced("misnamedmx", "issued for mx.partner.test");
    }

    private static void assertHeldThenBounced(String connector, String policy) throws Exception {
        String recipient = send(connector);
        String dsn =
                Inbox.awaitMessageContaining(
                        james.harness().imapPort(),
                        BOB,
                        PASSWORD,
                        recipient,
                        Duration.ofSeconds(60));
        assertThat(dsn)
                .contains("Action: failed")
                .contains(
                        "outbound connector '"
                                + connector
                                + "' allows delivery only with TLS (verify:")
                .contains(policy);
        assertThat(PARTNER.world.smtp.receivedFor(recipient)).isEmpty();
    }

    private static String send(String connector) throws Exception {
        String recipient = "user-" + UUID.randomUUID() + "@" + connector + ".test";
        james.send(Delivery.plain().from(BOB).to(recipient).subject("to " + connector));
        return recipient;
    }
}

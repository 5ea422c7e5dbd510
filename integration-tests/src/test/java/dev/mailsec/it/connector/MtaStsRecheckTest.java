package dev.mailsec.it.connector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsec.it.harness.ConnectorFixture;
import dev.mailsec.it.harness.Delivery;
import dev.mailsec.it.harness.JamesExtension;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The MTA-STS policy is looked up again on every delivery attempt, end to end on a real James 3.8.1
 * ({@link LoopbackMtaSts}). {@code late.test} has an {@code _mta-sts} record, but its policy server
 * answers 404 at first, so (RFC 8461 section 5.1) the mail takes the connector's fallback route
 * ({@code opportunistic}). Its first attempt meets an MX host answering {@code 421} (a temporary
 * failure). While the mail waits, the policy becomes reachable ({@code enforce}, {@code mx:
 * localhost}) and the MX host is replaced by one without STARTTLS. The retry must see the policy:
 * the mail goes to the enforce delivery, which refuses the clear session, and is bounced with the
 * policy in the DSN. Had the retry kept the fallback route, the partner would have received the
 * mail in clear.
 */
class MtaStsRecheckTest {

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
        final Map<String, String> policies = new ConcurrentHashMap<>(Map.of("late.test", ""));
        final LoopbackMtaSts world;
        final ConnectorFixture fixture;

        private Partner() throws Exception {
            PartnerPki pki = new PartnerPki();
            ConnectorFixture.Builder fixtureBuilder =
                    ConnectorFixture.builder().trustByDefault(pki.trustingClientContext());
            world = new LoopbackMtaSts(pki, null, policies, List.of());
            fixture =
                    fixtureBuilder
                            .connectors(
                                    world.dir.resolve("connectors.xml"),
                                    "  <outbound name=\"sts\">\n"
                                            + "    <recipientDomain>late.test</recipientDomain>\n"
                                            + "    <tls level=\"mta-sts\" fallback=\"opportunistic\"/>\n"
                                            + "  </outbound>\n")
                            // first retry after 5 s: time to publish the policy and change the MX
                            // host
                            .retries("5000, 1000", "2")
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
    void aPolicyReachableOnlyAfterTheFirstAttemptShouldBeEnforcedOnTheRetry() throws Exception {
        String recipient = "user-" + UUID.randomUUID() + "@late.test";
        try (BusyMx busy = new BusyMx()) {
            james.send(Delivery.plain().from(BOB).to(recipient).subject("to late.test"));
            Instant deadline = Instant.now().plusSeconds(30);
            while (busy.connections.get() == 0 && Instant.now().isBefore(deadline)) {
                Thread.sleep(50);
            }
            assertThat(busy.connections.get())
                    .as("first attempt, at the fallback level")
                    .isPositive();
        }
        PARTNER.policies.put(
                "late.test", "version: STSv1\nmode: enforce\nmx: localhost\nmax_age: 86400\n");
        try (PartnerSmtpServer clear =
                PartnerSmtpServer.withoutStartTlsOn(LoopbackMtaSts.MX_ADDRESS, 25)) {
            String dsn =
                    Inbox.awaitMessageContaining(
                            james.harness().imapPort(),
                            BOB,
                            PASSWORD,
                            recipient,
                            Duration.ofSeconds(90));
            assertThat(dsn)
                    .contains("Action: failed")
                    .contains("MTA-STS policy of late.test: mode=enforce mx=[localhost]");
            assertThat(clear.receivedFor(recipient)).as("received in clear").isEmpty();
            assertThat(clear.connections())
                    .as("enforced attempts that reached the MX host")
                    .isGreaterThanOrEqualTo(1);
        }
    }

    /** An MX host that answers every connection with 421 (try later) and counts them. */
    private static final class BusyMx implements AutoCloseable {
        final AtomicInteger connections = new AtomicInteger();
        private final ServerSocket listener;

        BusyMx() throws IOException {
            listener = new ServerSocket();
            listener.setReuseAddress(true);
            PartnerSmtpServer.bind(listener, new InetSocketAddress(LoopbackMtaSts.MX_ADDRESS, 25));
            Thread accept =
                    new Thread(
                            () -> {
                                while (!listener.isClosed()) {
                                    try (Socket socket = listener.accept()) {
                                        OutputStream out = socket.getOutputStream();
                                        out.write(
                                                "421 4.3.2 busy, try later\r\n"
                                                        .getBytes(StandardCharsets.US_ASCII));
                                        out.flush();
                                        connections.incrementAndGet();
                                    } catch (IOException closed) {
                                        return;
                                    }
                                }
                            },
                            "busy-mx");
            accept.setDaemon(true);
            accept.start();
        }

        @Override
        public void close() throws IOException {
            listener.close();
        }
    }
}

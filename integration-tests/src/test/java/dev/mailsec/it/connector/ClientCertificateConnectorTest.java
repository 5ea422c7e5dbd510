package dev.mailsec.it.connector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsec.dkm.Credential;
import dev.mailsec.dkm.IdentityType;
import dev.mailsec.dkm.KeyManager;
import dev.mailsec.dkm.root.FileRootKeys;
import dev.mailsec.dkm.store.FileStorage;
import dev.mailsec.it.harness.ConnectorFixture;
import dev.mailsec.it.harness.Delivery;
import dev.mailsec.it.harness.JamesExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Outbound client certificates from DKM on a real James 3.8.1 (issue 18, part 1), through the
 * generic route ({@code ConnectorsRemoteDelivery}): partners on free loopback ports that require a
 * client certificate from our CA (needClientAuth). The connector {@code bank} presents the primary
 * version of the DKM secret {@code tls/partner-bank} (a real DKM file store, read by James's
 * service identity) and the partner sees its subject; a new version promoted in DKM is presented
 * after the connector's refresh time, without a restart. The connector {@code nocert} presents
 * none: the partner refuses the handshake, the mail is held, retried and bounced, and the partner
 * never receives it. The connector {@code bankdown} reads its key from a DKM that cannot be
 * reached: no TLS attempt is made without the certificate, the mail is held and bounced, never sent
 * in clear.
 */
class ClientCertificateConnectorTest {

    private static final String BOB = "bob@mailsec.test";
    private static final String PASSWORD = "secret";
    private static final String SECRET = "tls/partner-bank";
    private static final Duration REFRESH = Duration.ofSeconds(2);

    private static final Fixture FIX = Fixture.create();

    @RegisterExtension
    static JamesExtension james =
            JamesExtension.builder()
                    .user(BOB, PASSWORD)
                    .rootMailets(
                            route(FIX.reachable, "connectors-a") + route(FIX.down, "connectors-b"))
                    .extraProcessors(
                            delivery("connectors-a", FIX.reachable, FIX.dkmConfig)
                                    + delivery("connectors-b", FIX.down, FIX.unreachableConfig)
                                    + ConnectorFixture.bouncesProcessor(FIX.reachable))
                    .build();

    private static String route(Path connectors, String processor) {
        return "<mailet match=\"dev.mailsec.matchers.connector.RecipientConnectorIs=*,"
                + connectors
                + "\" class=\"ToProcessor\">\n  <processor>"
                + processor
                + "</processor>\n</mailet>\n";
    }

    private static String delivery(String processor, Path connectors, Path dkmConfig) {
        return "<processor state=\""
                + processor
                + "\" enableJmx=\"false\">\n"
                + "  <mailet match=\"All\" class=\"dev.mailsec.mailets.connector.ConnectorsRemoteDelivery\">\n"
                + "    <connectors>"
                + connectors
                + "</connectors>\n"
                + "    <dkmConfig>"
                + dkmConfig
                + "</dkmConfig>\n"
                + "    <bounceProcessor>bounces</bounceProcessor>\n"
                + "    <delayTime>1000</delayTime>\n"
                + "    <maxRetries>1</maxRetries>\n"
                + "  </mailet>\n"
                + "</processor>\n";
    }

    @AfterAll
    static void cleanUp() throws Exception {
        FIX.close();
    }

    @Test
    void thePartnerShouldSeeOurCertificateAndARotatedOneAfterTheRefreshTime() throws Exception {
        String first = send("bank");
        PartnerSmtpServer.Received v1 = awaitReceived(FIX.bank, first);
        assertThat(v1.protocol).startsWith("TLSv1.");
        assertThat(v1.clientSubject).contains("CN=mailsec.test v1,O=mailsec");

        FIX.rotate("CN=mailsec.test v2,O=mailsec");
        Thread.sleep(REFRESH.plusMillis(500).toMillis());

        String second = send("bank");
        assertThat(awaitReceived(FIX.bank, second).clientSubject)
                .contains("CN=mailsec.test v2,O=mailsec");
    }

    @Test
    void withoutOurCertificateThePartnerRefusesAndTheMailIsHeldThenBouncedNeverSentInClear()
            throws Exception {
        int refusedBefore = FIX.nocert.refusedHandshakes();
        String recipient = send("nocert");

        String dsn =
                Inbox.awaitMessageContaining(
                        james.harness().imapPort(),
                        BOB,
                        PASSWORD,
                        recipient,
                        Duration.ofSeconds(60));
        assertThat(dsn)
                .contains("Final-Recipient: rfc822; " + recipient)
                .contains("Action: failed")
                .contains("outbound connector 'nocert' allows delivery only with TLS (verify:");
        assertThat(FIX.nocert.receivedFor(recipient)).isEmpty();
        assertThat(FIX.nocert.refusedHandshakes() - refusedBefore)
                .as("handshakes the partner refused (first try and one retry)")
                .isGreaterThanOrEqualTo(2);
    }

    @Test
    void dkmUnreachableShouldHoldTheMailWithoutAnyTlsAttemptThenBounceIt() throws Exception {
        int connectionsBefore = FIX.bankdown.connections();
        String recipient = send("bankdown");

        String dsn =
                Inbox.awaitMessageContaining(
                        james.harness().imapPort(),
                        BOB,
                        PASSWORD,
                        recipient,
                        Duration.ofSeconds(90));
        assertThat(dsn)
                .contains("Final-Recipient: rfc822; " + recipient)
                .contains("Action: failed");
        assertThat(FIX.bankdown.receivedFor(recipient)).isEmpty();
        assertThat(FIX.bankdown.connections() - connectionsBefore)
                .as("attempts (first try and one retry)")
                .isGreaterThanOrEqualTo(2);
        assertThat(FIX.bankdown.tlsSessions())
                .as("TLS sessions made without the certificate")
                .isZero();
    }

    private static String send(String connector) throws Exception {
        String recipient = "user-" + UUID.randomUUID() + "@" + connector + ".test";
        james.send(Delivery.plain().from(BOB).to(recipient).subject("to " + connector));
        return recipient;
    }

    private static PartnerSmtpServer.Received awaitReceived(
            PartnerSmtpServer partner, String recipient) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(30);
        while (partner.receivedFor(recipient).isEmpty() && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
        }
        assertThat(partner.receivedFor(recipient))
                .as("messages the partner received for " + recipient)
                .hasSize(1);
        return partner.receivedFor(recipient).get(0);
    }

    /** Our CA and DKM store, the partners requiring client certificates, the connectors files. */
    static final class Fixture implements AutoCloseable {
        final Path root;
        final PartnerPki ours;
        final PartnerSmtpServer bank;
        final PartnerSmtpServer nocert;
        final PartnerSmtpServer bankdown;
        final Path reachable;
        final Path down;
        final Path dkmConfig;
        final Path unreachableConfig;

        private Fixture() throws Exception {
            root = Files.createTempDirectory("mailsec-client-cert-it-");
            ours = new PartnerPki();
            PartnerPki partner = new PartnerPki();
            bank = requiringOurCertificate(partner);
            nocert = requiringOurCertificate(partner);
            bankdown = requiringOurCertificate(partner);
            Path partnerCa = root.resolve("partner-ca.pem");
            partner.writeCaPem(partnerCa);

            Path cred = root.resolve("credentials/james-transport.cred");
            try (FileStorage storage = FileStorage.create(root.resolve("data"));
                    KeyManager admin =
                            KeyManager.init(
                                    storage,
                                    new FileRootKeys(root.resolve("root-keys")),
                                    "admin",
                                    root.resolve("credentials/admin.cred"),
                                    Clock.systemUTC())) {
                admin.createIdentity("james-transport", IdentityType.SERVICE, false, cred);
                admin.createGroup("tls");
                admin.addMember("tls", "james-transport");
                PartnerPki.Client v1 = ours.client("CN=mailsec.test v1,O=mailsec");
                admin.putKeyPair(
                        SECRET,
                        "tls",
                        v1.keys.getPrivate(),
                        v1.keys.getPublic(),
                        List.of(v1.certificate, ours.ca()));
            }
            dkmConfig =
                    Files.write(
                            root.resolve("dkm.properties"),
                            Arrays.asList(
                                    "store=file:" + root.resolve("data"),
                                    "identity=" + cred,
                                    "cacheTtl=PT5M"));
            unreachableConfig =
                    Files.write(
                            root.resolve("unreachable-dkm.properties"),
                            Arrays.asList(
                                    "store=jdbc:postgresql://127.0.0.1:1/mailsec?user=postgres&connectTimeout=2",
                                    "identity=" + cred,
                                    "cacheTtl=PT5M"));
            String tls = "level=\"verify\" trustStore=\"" + partnerCa + "\"";
            String withCertificate =
                    " clientCertificate=\"dkm:"
                            + SECRET
                            + "\" clientCertificateRefresh=\""
                            + REFRESH
                            + "\"";
            reachable =
                    Files.writeString(
                            root.resolve("connectors-a.xml"),
                            "<connectors>\n"
                                    + outbound("bank", bank.port(), tls + withCertificate)
                                    + outbound("nocert", nocert.port(), tls)
                                    + "</connectors>\n");
            down =
                    Files.writeString(
                            root.resolve("connectors-b.xml"),
                            "<connectors>\n"
                                    + outbound("bankdown", bankdown.port(), tls + withCertificate)
                                    + "</connectors>\n");
        }

        private PartnerSmtpServer requiringOurCertificate(PartnerPki partner) throws Exception {
            return PartnerSmtpServer.withStartTlsRequiringClientCertificate(
                    partner.validServerTrustingClients("localhost", ours.ca()));
        }

        private static String outbound(String name, int port, String tlsAttributes) {
            return ConnectorFixture.outbound(name, port, tlsAttributes, "");
        }

        /** What an operator does with {@code dkm secret rotate --stdin} and {@code promote}. */
        void rotate(String subject) throws Exception {
            PartnerPki.Client next = ours.client(subject);
            try (FileStorage storage = FileStorage.open(root.resolve("data"));
                    KeyManager admin =
                            KeyManager.open(
                                    storage,
                                    new FileRootKeys(root.resolve("root-keys")),
                                    Credential.load(root.resolve("credentials/admin.cred")),
                                    Clock.systemUTC())) {
                int version =
                        admin.addKeyPairVersion(
                                SECRET,
                                next.keys.getPrivate(),
                                next.keys.getPublic(),
                                List.of(next.certificate, ours.ca()));
                admin.promote(SECRET, version);
            }
        }

        static Fixture create() {
            try {
                return new Fixture();
            } catch (Exception e) {
                throw new IllegalStateException("cannot set up partners and DKM", e);
            }
        }

        @Override
        public void close() throws IOException {
            bank.close();
            nocert.close();
            bankdown.close();
            try (Stream<Path> files = Files.walk(root)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}

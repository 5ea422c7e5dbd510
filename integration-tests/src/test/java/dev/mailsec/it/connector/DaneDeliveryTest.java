package dev.mailsec.it.connector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsec.it.harness.ConnectorFixture;
import dev.mailsec.it.harness.Delivery;
import dev.mailsec.it.harness.JamesExtension;
import dev.mailsec.testsupport.Dnsmasq;
import dev.mailsec.testsupport.SignedDns;
import dev.mailsec.tls.report.TlsPolicyType;
import dev.mailsec.tls.report.TlsResultType;
import dev.mailsec.tls.report.TlsSessionRow;
import dev.mailsec.tls.report.TlsSessions;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * DANE delivery (RFC 7672) end to end on a real James 3.8.1: a zone {@code dane.test} signed by
 * ldns-signzone, served by Knot and validated by unbound ({@link SignedDns}), is the connectors
 * file's {@code <dane>} resolver; James's own DNS (a dnsmasq on 127.79.5.1:53 forwarding {@code
 * dane.test} to unbound) gives the MX hosts' addresses. One {@code dane} connector (fallback {@code
 * required}), its processors as {@code ./mailsec tls remote-delivery} prints them, partners on port
 * 25 of loopback addresses:
 *
 * <ul>
 *   <li>{@code good.dane.test}: MX 5 a host without TLSA records, MX 10 a host whose certificate
 *       matches its TLSA record (3 1 1): delivered over TLS to the second only;
 *   <li>{@code wrong.dane.test}: the TLSA record is for another key: held, retried, bounced;
 *   <li>{@code bogus.dane.test}: the TLSA record's signature does not validate: held (the host is
 *       never contacted) and finally bounced;
 *   <li>{@code strip.dane.test}: the MX host offers no STARTTLS: held and bounced;
 *   <li>{@code plain.dane.test}: an unsigned child zone: DANE does not apply, the fallback level
 *       delivers over TLS with any certificate.
 * </ul>
 *
 * No partner but the last ever receives DATA in clear, and TLS report rows (policy type {@code
 * tlsa}) are recorded for the session and each failure. Binds fixed ports (53, 25): run under
 * {@code flock /tmp/fixed-ports.lock}.
 */
class DaneDeliveryTest {

    private static final String BOB = "bob@mailsec.test";
    private static final String PASSWORD = "secret";
    private static final String DNS = "127.79.5.1";
    private static final List<TlsSessionRow> ROWS = new CopyOnWriteArrayList<>();
    private static final TlsSessions.Sink SINK = ROWS::add;

    private static final World WORLD = World.start();

    @RegisterExtension
    static JamesExtension james =
            JamesExtension.builder()
                    .user(BOB, PASSWORD)
                    .dnsServer(DNS)
                    .rootMailets(WORLD.fixture.routingSteps())
                    .extraProcessors(WORLD.fixture.processors())
                    .build();

    /** The signed zone, James's DNS, the partners and the connectors file. */
    static final class World {
        final Path dir;
        final PartnerSmtpServer good;
        final PartnerSmtpServer noTlsa;
        final PartnerSmtpServer wrong;
        final PartnerSmtpServer bogus;
        final PartnerSmtpServer strip;
        final PartnerSmtpServer plain;
        final ConnectorFixture fixture;

        private World() throws Exception {
            dir = Files.createTempDirectory("mailsec-dane-it");
            PartnerPki pki = new PartnerPki();
            PartnerPki.Server goodServer = pki.validServerWithCertificate("mx.good.dane.test");
            PartnerPki.Server otherKey = pki.validServerWithCertificate("mx.wrong.dane.test");
            good = PartnerSmtpServer.withStartTlsOn(goodServer.context, address(11), 25);
            noTlsa =
                    PartnerSmtpServer.withStartTlsOn(
                            pki.validServer("notlsa.good.dane.test"), address(12), 25);
            // presents a certificate of its own; the TLSA record names otherKey's key
            wrong =
                    PartnerSmtpServer.withStartTlsOn(
                            pki.validServer("mx.wrong.dane.test"), address(13), 25);
            bogus = PartnerSmtpServer.withStartTlsOn(goodServer.context, address(14), 25);
            strip = PartnerSmtpServer.withoutStartTlsOn(address(15), 25);
            plain =
                    PartnerSmtpServer.withStartTlsOn(
                            pki.validServer("other.example"), address(16), 25);
            SignedDns signed =
                    new SignedDns(dir.resolve("zone"), "dane.test")
                            .records(
                                    "good MX 5 notlsa.good",
                                    "good MX 10 mx.good",
                                    "notlsa.good A " + ip(12),
                                    "mx.good A " + ip(11),
                                    "_25._tcp.mx.good TLSA " + tlsa(goodServer.certificate),
                                    "wrong MX 10 mx.wrong",
                                    "mx.wrong A " + ip(13),
                                    "_25._tcp.mx.wrong TLSA " + tlsa(otherKey.certificate),
                                    "bogus MX 10 mx.bogus",
                                    "mx.bogus A " + ip(14),
                                    "_25._tcp.mx.bogus TLSA 3 1 1 " + "11".repeat(32),
                                    "strip MX 10 mx.strip",
                                    "mx.strip A " + ip(15),
                                    "_25._tcp.mx.strip TLSA " + tlsa(goodServer.certificate))
                            .bogus("3 1 1 " + "11".repeat(32), "3 1 1 " + "22".repeat(32))
                            .insecureChild("plain", "@ MX 10 mx", "mx A " + ip(16));
            Files.createDirectories(dir.resolve("zone"));
            signed.start();
            Dnsmasq dns =
                    Dnsmasq.start(
                            dir, DNS, 53, "--server=/dane.test/127.0.0.1#" + signed.resolverPort());
            TlsSessions.install(SINK);
            fixture =
                    ConnectorFixture.builder()
                            .connectors(
                                    dir.resolve("connectors.xml"),
                                    "  <dane validation=\"resolver\" resolver=\"127.0.0.1:"
                                            + signed.resolverPort()
                                            + "\"/>\n",
                                    "  <outbound name=\"dane\">\n"
                                            + "    <recipientDomain>good.dane.test</recipientDomain>\n"
                                            + "    <recipientDomain>wrong.dane.test</recipientDomain>\n"
                                            + "    <recipientDomain>bogus.dane.test</recipientDomain>\n"
                                            + "    <recipientDomain>strip.dane.test</recipientDomain>\n"
                                            + "    <recipientDomain>plain.dane.test</recipientDomain>\n"
                                            + "    <tls level=\"dane\" fallback=\"required\"/>\n"
                                            + "  </outbound>\n")
                            .locatedPlans()
                            .closing(good, noTlsa, wrong, bogus, strip, plain, dns::close, signed)
                            .build();
        }

        static World start() {
            try {
                return new World();
            } catch (Exception e) {
                throw new IllegalStateException(
                        "cannot start the signed zone and the MX partners (needs knot, unbound,"
                                + " ldnsutils, dnsmasq and root for ports 53 and 25)",
                        e);
            }
        }

        private static InetAddress address(int host) throws Exception {
            return InetAddress.getByName(ip(host));
        }

        private static String ip(int host) {
            return "127.79.5." + host;
        }

        /** DANE-EE(3), SPKI(1), SHA-256(1) of the certificate's key. */
        private static String tlsa(X509Certificate certificate) throws Exception {
            byte[] digest =
                    MessageDigest.getInstance("SHA-256")
                            .digest(certificate.getPublicKey().getEncoded());
            StringBuilder hex = new StringBuilder("3 1 1 ");
            for (byte b : digest) {
                hex.append(String.format(Locale.ROOT, "%02x", b & 0xff));
            }
            return hex.toString();
        }

        List<PartnerSmtpServer> partners() {
            return List.of(good, noTlsa, wrong, bogus, strip, plain);
        }
    }

    @AfterAll
    static void stopWorld() throws Exception {
        TlsSessions.uninstall(SINK);
        WORLD.fixture.close();
    }

    @Test
    void aCertificateMatchingItsTlsaShouldBeDeliveredOverTlsToThatHostOnly() throws Exception {
        String recipient = send("good");

        awaitReceived(WORLD.good, recipient);
        assertThat(WORLD.good.receivedFor(recipient).get(0).protocol).startsWith("TLSv1");
        // RFC 7672 section 2.2: the preferred MX host without TLSA records is never used
        assertThat(WORLD.noTlsa.connections()).isZero();
        assertThat(rows("good.dane.test"))
                .anySatisfy(
                        row -> {
                            assertThat(row.result()).isEmpty();
                            assertThat(row.policy().type()).isEqualTo(TlsPolicyType.TLSA);
                            assertThat(row.policy().strings()).hasSize(1);
                        });
        assertNothingInClear();
    }

    @Test
    void aCertificateNotMatchingItsTlsaShouldBeHeldThenBouncedNeverDelivered() throws Exception {
        String recipient = send("wrong");

        String dsn = awaitBounce(recipient);
        assertThat(dsn)
                .contains("Action: failed")
                .contains("outbound connector 'dane' delivers by DANE");
        assertThat(WORLD.wrong.receivedFor(recipient)).isEmpty();
        assertThat(WORLD.wrong.refusedHandshakes()).as("attempts").isGreaterThanOrEqualTo(2);
        assertThat(failures("wrong.dane.test"))
                .contains(TlsResultType.VALIDATION_FAILURE)
                .hasSizeGreaterThanOrEqualTo(2);
        assertNothingInClear();
    }

    @Test
    void aBogusTlsaRecordShouldHoldTheMailWithoutContactingTheHost() throws Exception {
        String recipient = send("bogus");

        String dsn = awaitBounce(recipient);
        assertThat(dsn)
                .contains("Action: failed")
                .contains("outbound connector 'dane' delivers by DANE");
        assertThat(WORLD.bogus.connections()).isZero();
        assertThat(failures("bogus.dane.test"))
                .containsOnly(TlsResultType.DNSSEC_INVALID)
                .hasSizeGreaterThanOrEqualTo(2);
        assertNothingInClear();
    }

    @Test
    void anMxHostThatOffersNoStartTlsShouldBeHeldThenBouncedNeverSentInClear() throws Exception {
        String recipient = send("strip");

        String dsn = awaitBounce(recipient);
        assertThat(dsn)
                .contains("Action: failed")
                .contains("outbound connector 'dane' delivers by DANE");
        assertThat(WORLD.strip.connections()).isGreaterThanOrEqualTo(2);
        assertThat(WORLD.strip.receivedCount()).as("DATA received in clear").isZero();
        assertThat(failures("strip.dane.test")).contains(TlsResultType.STARTTLS_NOT_SUPPORTED);
        assertNothingInClear();
    }

    @Test
    void anUnsignedDomainShouldGoToTheFallbackLevel() throws Exception {
        String recipient = send("plain");

        awaitReceived(WORLD.plain, recipient);
        // fallback required: TLS with any certificate, never clear text
        assertThat(WORLD.plain.receivedFor(recipient).get(0).protocol).startsWith("TLSv1");
    }

    private static String send(String label) throws Exception {
        String recipient = "user-" + UUID.randomUUID() + "@" + label + ".dane.test";
        james.send(Delivery.plain().from(BOB).to(recipient).subject("to " + label));
        return recipient;
    }

    private static void awaitReceived(PartnerSmtpServer partner, String recipient)
            throws Exception {
        Instant deadline = Instant.now().plusSeconds(30);
        while (partner.receivedFor(recipient).isEmpty() && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
        }
        assertThat(partner.receivedFor(recipient)).as("delivered to %s", recipient).hasSize(1);
    }

    private static String awaitBounce(String recipient) throws Exception {
        return Inbox.awaitMessageContaining(
                james.harness().imapPort(), BOB, PASSWORD, recipient, Duration.ofSeconds(60));
    }

    private static void assertNothingInClear() {
        for (PartnerSmtpServer partner : WORLD.partners()) {
            assertThat(partner.receivedInClear()).as("messages whose DATA came in clear").isZero();
        }
    }

    private static List<TlsSessionRow> rows(String domain) {
        List<TlsSessionRow> matching = new ArrayList<>();
        for (TlsSessionRow row : ROWS) {
            if (row.policyDomain().equals(domain)) {
                matching.add(row);
            }
        }
        return matching;
    }

    private static List<TlsResultType> failures(String domain) {
        List<TlsResultType> types = new ArrayList<>();
        for (TlsSessionRow row : rows(domain)) {
            row.result().ifPresent(types::add);
        }
        return types;
    }
}

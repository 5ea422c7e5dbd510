package dev.mailsec.tls.published;

import static dev.mailsec.tls.published.InboundFinding.Level.FAIL;
import static dev.mailsec.tls.published.InboundFinding.Level.OK;
import static dev.mailsec.tls.published.InboundFinding.Level.WARN;

import dev.mailsec.tls.connector.HostNameMatcher;
import java.io.IOException;
import java.net.InetAddress;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import javax.net.ssl.X509TrustManager;

/**
 * Judges one MX host as a sender enforcing MTA-STS or DANE would (RFC 8461 section 4.2, RFC 7672):
 * STARTTLS offered, TLS 1.2 or later, a chain the trust store accepts, a certificate issued for the
 * MX host and not expired (a warning within {@link #EXPIRY_WARNING}), and the TLSA records at
 * {@code _25._tcp.HOST} matching when there are any.
 */
final class MxCheck {

    /** How close an expiry date warns. */
    static final Duration EXPIRY_WARNING = Duration.ofDays(14);

    private static final Set<String> GOOD_PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");

    private final InboundDns dns;
    private final X509TrustManager trust;
    private final MxProbe probe;
    private final int port;
    private final Clock clock;

    MxCheck(InboundDns dns, X509TrustManager trust, MxProbe probe, int port, Clock clock) {
        this.dns = dns;
        this.trust = trust;
        this.probe = probe;
        this.port = port;
        this.clock = clock;
    }

    void check(String host, Consumer<InboundFinding> out) {
        String topic = host + ":" + port;
        List<InetAddress> addresses;
        try {
            addresses = dns.addresses(host);
        } catch (IOException e) {
            out.accept(new InboundFinding(FAIL, topic, "address lookup failed: " + e.getMessage()));
            return;
        }
        if (addresses.isEmpty()) {
            out.accept(new InboundFinding(FAIL, topic, "has no A or AAAA record"));
            return;
        }
        List<String> tlsa;
        try {
            tlsa = dns.tlsa("_25._tcp." + host);
        } catch (IOException e) {
            out.accept(new InboundFinding(FAIL, topic, "TLSA lookup failed: " + e.getMessage()));
            tlsa = List.of();
        }
        for (InetAddress address : addresses) {
            session(host, topic + " [" + address.getHostAddress() + "]", address, tlsa, out);
        }
    }

    private void session(
            String host,
            String topic,
            InetAddress address,
            List<String> tlsa,
            Consumer<InboundFinding> out) {
        MxProbe.Session seen = probe.probe(host, address, port);
        if (seen.error.isPresent()) {
            out.accept(new InboundFinding(FAIL, topic, "SMTP session failed: " + seen.error.get()));
            return;
        }
        if (!seen.startTlsOffered) {
            out.accept(
                    new InboundFinding(
                            FAIL,
                            topic,
                            "STARTTLS NOT offered: MTA-STS enforce and DANE senders will not deliver"));
            return;
        }
        out.accept(new InboundFinding(OK, topic, "STARTTLS offered"));
        if (seen.handshakeError.isPresent()) {
            out.accept(
                    new InboundFinding(
                            FAIL, topic, "TLS handshake failed: " + seen.handshakeError.get()));
            return;
        }
        String protocol = seen.protocol.orElse("?");
        out.accept(
                new InboundFinding(
                        GOOD_PROTOCOLS.contains(protocol) ? OK : FAIL,
                        topic,
                        "protocol "
                                + protocol
                                + (GOOD_PROTOCOLS.contains(protocol)
                                        ? ""
                                        : " (older than TLSv1.2, RFC 8996)")));
        X509Certificate leaf = seen.chain.get(0);
        try {
            trust.checkServerTrusted(seen.chain.toArray(new X509Certificate[0]), "UNKNOWN");
            out.accept(new InboundFinding(OK, topic, "certificate chain trusted"));
        } catch (CertificateException e) {
            out.accept(
                    new InboundFinding(
                            FAIL,
                            topic,
                            "certificate chain NOT trusted: "
                                    + MxProbe.printable(String.valueOf(e.getMessage()))));
        }
        Optional<String> name = HostNameMatcher.match(host, leaf);
        out.accept(
                name.isPresent()
                        ? new InboundFinding(
                                OK, topic, "certificate name " + name.get() + " matches " + host)
                        : new InboundFinding(
                                FAIL,
                                topic,
                                "certificate is NOT issued for "
                                        + host
                                        + " (subject "
                                        + leaf.getSubjectX500Principal().getName()
                                        + ")"));
        expiry(topic, leaf, out);
        if (!tlsa.isEmpty()) {
            Optional<String> match = TlsaMatch.matching(tlsa, seen.chain);
            out.accept(
                    match.isPresent()
                            ? new InboundFinding(
                                    OK, topic, "TLSA " + match.get() + " matches the certificate")
                            : new InboundFinding(
                                    FAIL,
                                    topic,
                                    "TLSA records at _25._tcp."
                                            + host
                                            + " do NOT match the certificate: DANE senders will not deliver"));
        }
    }

    private void expiry(String topic, X509Certificate leaf, Consumer<InboundFinding> out) {
        Instant now = clock.instant();
        Instant notAfter = leaf.getNotAfter().toInstant();
        if (notAfter.isBefore(now)) {
            out.accept(new InboundFinding(FAIL, topic, "certificate EXPIRED on " + notAfter));
        } else if (leaf.getNotBefore().toInstant().isAfter(now)) {
            out.accept(
                    new InboundFinding(
                            FAIL,
                            topic,
                            "certificate not valid before " + leaf.getNotBefore().toInstant()));
        } else if (notAfter.isBefore(now.plus(EXPIRY_WARNING))) {
            out.accept(new InboundFinding(WARN, topic, "certificate expires soon: " + notAfter));
        } else {
            out.accept(new InboundFinding(OK, topic, "certificate valid until " + notAfter));
        }
    }
}

package dev.mailsec.tls.connector;

import dev.mailsec.tls.TlsFacts;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What is known about an incoming mail when a connector is chosen: the client address, the envelope
 * sender's domain (empty for the null sender), the {@code From:} header's domains (known only after
 * DATA) and the TLS facts (empty when the session is in clear). Domains are kept in the lower-case
 * ASCII form of {@link DomainPattern#normalize(String)}; what is not a domain name is dropped.
 */
public final class InboundSession {

    private final Optional<InetAddress> clientAddress;
    private final Optional<String> envelopeSenderDomain;
    private final List<String> fromHeaderDomains;
    private final Optional<TlsFacts> tls;

    private InboundSession(
            Optional<InetAddress> clientAddress,
            Optional<String> envelopeSenderDomain,
            List<String> fromHeaderDomains,
            Optional<TlsFacts> tls) {
        this.clientAddress = Objects.requireNonNull(clientAddress);
        this.envelopeSenderDomain = envelopeSenderDomain.flatMap(DomainPattern::normalize);
        List<String> normalized = new ArrayList<>(fromHeaderDomains.size());
        for (String domain : fromHeaderDomains) {
            DomainPattern.normalize(domain).ifPresent(normalized::add);
        }
        this.fromHeaderDomains = Collections.unmodifiableList(normalized);
        this.tls = Objects.requireNonNull(tls);
    }

    /** Facts at SMTP time ({@code MAIL FROM}): no header is known yet. */
    public static InboundSession atMailFrom(
            Optional<InetAddress> clientAddress,
            Optional<String> envelopeSenderDomain,
            Optional<TlsFacts> tls) {
        return new InboundSession(
                clientAddress, envelopeSenderDomain, Collections.emptyList(), tls);
    }

    /** Facts after DATA, with the domains of the {@code From:} header. */
    public static InboundSession afterData(
            Optional<InetAddress> clientAddress,
            Optional<String> envelopeSenderDomain,
            List<String> fromHeaderDomains,
            Optional<TlsFacts> tls) {
        return new InboundSession(clientAddress, envelopeSenderDomain, fromHeaderDomains, tls);
    }

    public Optional<InetAddress> clientAddress() {
        return clientAddress;
    }

    public Optional<String> envelopeSenderDomain() {
        return envelopeSenderDomain;
    }

    public List<String> fromHeaderDomains() {
        return fromHeaderDomains;
    }

    public Optional<TlsFacts> tls() {
        return tls;
    }
}

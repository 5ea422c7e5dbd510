package dev.mailsec.tls.connector;

import dev.mailsec.tls.TlsProtocolVersion;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A partner's inbound connector: which mail it covers and what the partner's sessions must offer.
 *
 * <p>A connector covers a mail when any one of its criteria matches: the envelope sender's domain
 * or a {@code From:} domain matches a {@code senderDomain}, the client address lies in a {@code
 * clientNetwork}, or the client certificate carries a {@code clientCertificate} name. Its
 * requirements are then checked in this order: TLS, minimum protocol, allowed cipher suites, client
 * certificate, the name it must carry.
 */
public final class InboundConnector {

    private final String name;
    private final List<DomainPattern> senderDomains;
    private final List<IpRange> clientNetworks;
    private final List<CertificateName> clientCertificates;
    private final boolean tlsRequired;
    private final Optional<TlsProtocolVersion> minimumProtocol;
    private final Set<String> cipherSuites;
    private final boolean clientCertificateRequired;
    private final List<CertificateName> clientCertificateNames;

    private InboundConnector(Builder builder) {
        this.name = builder.name;
        this.senderDomains = Collections.unmodifiableList(new ArrayList<>(builder.senderDomains));
        this.clientNetworks = Collections.unmodifiableList(new ArrayList<>(builder.clientNetworks));
        this.clientCertificates =
                Collections.unmodifiableList(new ArrayList<>(builder.clientCertificates));
        this.clientCertificateNames =
                Collections.unmodifiableList(new ArrayList<>(builder.clientCertificateNames));
        this.clientCertificateRequired =
                builder.clientCertificateRequired || !clientCertificateNames.isEmpty();
        this.minimumProtocol = builder.minimumProtocol;
        this.cipherSuites = Collections.unmodifiableSet(new LinkedHashSet<>(builder.cipherSuites));
        this.tlsRequired =
                builder.tlsRequired
                        || minimumProtocol.isPresent()
                        || !cipherSuites.isEmpty()
                        || clientCertificateRequired;
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    public String name() {
        return name;
    }

    public List<DomainPattern> senderDomains() {
        return senderDomains;
    }

    public List<IpRange> clientNetworks() {
        return clientNetworks;
    }

    public List<CertificateName> clientCertificates() {
        return clientCertificates;
    }

    /** True when TLS is required, explicitly or because another requirement needs it. */
    public boolean tlsRequired() {
        return tlsRequired;
    }

    public Optional<TlsProtocolVersion> minimumProtocol() {
        return minimumProtocol;
    }

    /** Allowed cipher suites (JSSE names); empty means any. */
    public Set<String> cipherSuites() {
        return cipherSuites;
    }

    public boolean clientCertificateRequired() {
        return clientCertificateRequired;
    }

    /** Names the client certificate must carry one of; empty means any certificate. */
    public List<CertificateName> clientCertificateNames() {
        return clientCertificateNames;
    }

    /**
     * Why this connector covers {@code session} (e.g. {@code partner.test}), or empty when it does
     * not.
     */
    public Optional<String> coverage(InboundSession session) {
        Optional<String> envelope = session.envelopeSenderDomain().flatMap(this::matchingDomain);
        if (envelope.isPresent()) {
            return envelope;
        }
        for (String fromDomain : session.fromHeaderDomains()) {
            Optional<String> matched = matchingDomain(fromDomain);
            if (matched.isPresent()) {
                return matched;
            }
        }
        Optional<InetAddress> client = session.clientAddress();
        if (client.isPresent()) {
            for (IpRange range : clientNetworks) {
                if (range.contains(client.get())) {
                    return Optional.of(client.get().getHostAddress());
                }
            }
        }
        if (session.tls().isPresent()) {
            for (CertificateName certificateName : clientCertificates) {
                if (certificateName.matches(
                        session.tls().get().peerSubject(),
                        session.tls().get().peerSubjectAltNames())) {
                    return Optional.of(certificateName.toString());
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The domain (already normalized by {@link InboundSession}) when a sender-domain pattern
     * matches it.
     */
    private Optional<String> matchingDomain(String domain) {
        for (DomainPattern pattern : senderDomains) {
            if (pattern.matchesNormalized(domain)) {
                return Optional.of(domain);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return "InboundConnector{name="
                + name
                + ", senderDomains="
                + senderDomains
                + ", clientNetworks="
                + clientNetworks
                + ", clientCertificates="
                + clientCertificates
                + ", tlsRequired="
                + tlsRequired
                + ", minimumProtocol="
                + minimumProtocol.map(TlsProtocolVersion::jsseName).orElse("-")
                + ", cipherSuites="
                + cipherSuites
                + ", clientCertificateRequired="
                + clientCertificateRequired
                + ", clientCertificateNames="
                + clientCertificateNames
                + "}";
    }

    /**
     * Collects a connector's settings; {@link ConnectorsFile} validates them before calling {@link
     * #build()}.
     */
    public static final class Builder {
        private final String name;
        private final List<DomainPattern> senderDomains = new ArrayList<>();
        private final List<IpRange> clientNetworks = new ArrayList<>();
        private final List<CertificateName> clientCertificates = new ArrayList<>();
        private boolean tlsRequired;
        private Optional<TlsProtocolVersion> minimumProtocol = Optional.empty();
        private final Set<String> cipherSuites = new LinkedHashSet<>();
        private boolean clientCertificateRequired;
        private final List<CertificateName> clientCertificateNames = new ArrayList<>();

        private Builder(String name) {
            this.name = name;
        }

        public Builder senderDomain(DomainPattern pattern) {
            senderDomains.add(pattern);
            return this;
        }

        public Builder clientNetwork(IpRange range) {
            clientNetworks.add(range);
            return this;
        }

        public Builder clientCertificate(CertificateName certificateName) {
            clientCertificates.add(certificateName);
            return this;
        }

        public Builder requireTls(boolean required) {
            this.tlsRequired = required;
            return this;
        }

        public Builder minimumProtocol(TlsProtocolVersion version) {
            this.minimumProtocol = Optional.of(version);
            return this;
        }

        public Builder allowCipherSuite(String cipherSuite) {
            cipherSuites.add(cipherSuite);
            return this;
        }

        public Builder requireClientCertificate(boolean required) {
            this.clientCertificateRequired = required;
            return this;
        }

        public Builder requireClientCertificateName(CertificateName certificateName) {
            clientCertificateNames.add(certificateName);
            return this;
        }

        public InboundConnector build() {
            return new InboundConnector(this);
        }
    }
}

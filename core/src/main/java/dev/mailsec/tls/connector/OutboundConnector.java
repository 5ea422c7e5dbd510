package dev.mailsec.tls.connector;

import dev.mailsec.tls.TlsProtocolVersion;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * A partner's outbound connector: which recipient domains it covers, where their mail goes (the
 * domain's MX hosts, or smart hosts) and the TLS it must be sent with.
 */
public final class OutboundConnector {

    private final String name;
    private final List<DomainPattern> recipientDomains;
    private final List<SmartHost> smartHosts;
    private final OutboundTlsLevel tlsLevel;
    private final Optional<TlsProtocolVersion> minimumProtocol;
    private final OutboundTlsLevel fallbackLevel;
    private final OutboundTlsLevel mtaStsFallbackLevel;
    private final Optional<String> trustStore;
    private final Optional<String> trustStorePassword;
    private final List<String> expectedNames;
    private final Optional<String> clientCertificate;
    private final Duration clientCertificateRefresh;

    /** How long a client certificate read from DKM is presented before it is read again. */
    public static final Duration DEFAULT_CLIENT_CERTIFICATE_REFRESH = Duration.ofMinutes(5);

    private OutboundConnector(Builder builder) {
        this.name = builder.name;
        this.recipientDomains =
                Collections.unmodifiableList(new ArrayList<>(builder.recipientDomains));
        this.smartHosts = Collections.unmodifiableList(new ArrayList<>(builder.smartHosts));
        this.tlsLevel = builder.tlsLevel;
        this.minimumProtocol = builder.minimumProtocol;
        this.fallbackLevel = builder.fallbackLevel;
        this.mtaStsFallbackLevel = builder.mtaStsFallbackLevel;
        this.trustStore = builder.trustStore;
        this.trustStorePassword = builder.trustStorePassword;
        this.expectedNames = Collections.unmodifiableList(new ArrayList<>(builder.expectedNames));
        this.clientCertificate = builder.clientCertificate;
        this.clientCertificateRefresh = builder.clientCertificateRefresh;
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    public String name() {
        return name;
    }

    public List<DomainPattern> recipientDomains() {
        return recipientDomains;
    }

    /** Relays to deliver to, in order; empty means the recipient domain's MX hosts. */
    public List<SmartHost> smartHosts() {
        return smartHosts;
    }

    public OutboundTlsLevel tlsLevel() {
        return tlsLevel;
    }

    public Optional<TlsProtocolVersion> minimumProtocol() {
        return minimumProtocol;
    }

    /**
     * For an {@code mta-sts} connector, the level used for domains without a policy in {@code
     * enforce} mode (no policy, {@code testing}, {@code none}); for a {@code dane} connector, the
     * level for domains DANE does not apply to (possibly {@code mta-sts}); {@code opportunistic}
     * unless configured. For other levels, the level itself.
     */
    public OutboundTlsLevel fallbackLevel() {
        return tlsLevel == OutboundTlsLevel.MTA_STS || tlsLevel == OutboundTlsLevel.DANE
                ? fallbackLevel
                : tlsLevel;
    }

    /**
     * The level for domains without an MTA-STS {@code enforce} policy when MTA-STS applies: the
     * {@code fallback} of an {@code mta-sts} connector, the {@code mtaStsFallback} of a {@code
     * dane} connector whose fallback is {@code mta-sts}.
     */
    public OutboundTlsLevel mtaStsFallbackLevel() {
        return tlsLevel == OutboundTlsLevel.DANE ? mtaStsFallbackLevel : fallbackLevel();
    }

    /**
     * The connector's own trust store for {@code verify} (a PEM bundle of CA certificates, or a
     * PKCS12 file), as written in the file; empty: the JVM's trust store. Resolved against James's
     * working directory.
     */
    public Optional<String> trustStore() {
        return trustStore;
    }

    /** The PKCS12 trust store's password, if any. Never logged nor printed. */
    public Optional<String> trustStorePassword() {
        return trustStorePassword;
    }

    /**
     * Names the partner's certificate must carry for {@code verify} (any one of them), instead of
     * the name of the host delivered to; empty: the host's name.
     */
    public List<String> expectedNames() {
        return expectedNames;
    }

    /**
     * True when {@code verify} uses the connector's own trust store or expected names (not
     * JavaMail's checks).
     */
    public boolean hasOwnTrust() {
        return trustStore.isPresent() || !expectedNames.isEmpty();
    }

    /**
     * The DKM secret ({@code KEY_PAIR}: private key and certificate chain) whose primary version
     * the connector presents as its client certificate in STARTTLS; empty: none.
     */
    public Optional<String> clientCertificate() {
        return clientCertificate;
    }

    /** How long a client certificate read from DKM is used before DKM is asked again. */
    public Duration clientCertificateRefresh() {
        return clientCertificateRefresh;
    }

    /**
     * True when the delivery needs this pack's TLS context ({@link ConnectorContexts}) instead of
     * JavaMail's: its own trust store or expected names, or a client certificate.
     */
    public boolean needsOwnContext() {
        return hasOwnTrust() || clientCertificate.isPresent();
    }

    /** True when mail to {@code recipientDomain} goes through this connector. */
    public boolean covers(String recipientDomain) {
        return DomainPattern.normalize(recipientDomain).map(this::coversNormalized).orElse(false);
    }

    /**
     * As {@link #covers(String)} for a name already in {@link DomainPattern#normalize(String)}'s
     * form.
     */
    boolean coversNormalized(String recipientDomain) {
        for (DomainPattern pattern : recipientDomains) {
            if (pattern.matchesNormalized(recipientDomain)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The protocols a delivery may negotiate, oldest first: {@code minimumProtocol} and every newer
     * version, or empty when the connector leaves that to the JVM.
     */
    public List<TlsProtocolVersion> allowedProtocols() {
        if (minimumProtocol.isEmpty()) {
            return Collections.emptyList();
        }
        List<TlsProtocolVersion> allowed = new ArrayList<>();
        for (TlsProtocolVersion version : TlsProtocolVersion.values()) {
            if (version.isAtLeast(minimumProtocol.get())) {
                allowed.add(version);
            }
        }
        return allowed;
    }

    /**
     * The policy in words for a bounce or a log line, e.g. {@code verify: STARTTLS required,
     * certificate trusted and issued for the host, TLSv1.2 or newer}.
     */
    public String policyDescription() {
        if (tlsLevel == OutboundTlsLevel.DANE) {
            return "dane: where the recipient domain's MX records and an MX host's TLSA records are "
                    + "DNSSEC-signed, only such MX hosts, STARTTLS required, certificate matching a "
                    + "TLSA record (RFC 7672)"
                    + minimumProtocol.map(v -> ", " + v.jsseName() + " or newer").orElse("")
                    + "; otherwise "
                    + (fallbackLevel == OutboundTlsLevel.MTA_STS
                            ? mtaStsDescription(mtaStsFallbackLevel)
                            : describe(fallbackLevel));
        }
        if (tlsLevel == OutboundTlsLevel.MTA_STS) {
            return mtaStsDescription(fallbackLevel);
        }
        return describe(tlsLevel);
    }

    private String mtaStsDescription(OutboundTlsLevel withoutEnforce) {
        return "mta-sts: the recipient domain's MTA-STS policy; in enforce mode only the MX hosts it lists, "
                + "STARTTLS required, certificate trusted and issued for the MX host"
                + minimumProtocol.map(v -> ", " + v.jsseName() + " or newer").orElse("")
                + "; without an enforce policy "
                + describe(withoutEnforce);
    }

    private String describe(OutboundTlsLevel level) {
        String text;
        switch (level) {
            case REQUIRED:
                text =
                        "required: STARTTLS required, any certificate"
                                + clientCertificate
                                        .map(c -> ", presenting our client certificate")
                                        .orElse("");
                break;
            case VERIFY:
                text =
                        "verify: STARTTLS required, certificate trusted"
                                + (trustStore.isPresent() ? " by the connector's trust store" : "")
                                + (expectedNames.isEmpty()
                                        ? " and issued for the host"
                                        : " and issued for " + String.join(" or ", expectedNames))
                                + clientCertificate
                                        .map(c -> ", presenting our client certificate")
                                        .orElse("");
                break;
            default:
                text = "opportunistic: STARTTLS when offered";
                break;
        }
        return text + minimumProtocol.map(v -> ", " + v.jsseName() + " or newer").orElse("");
    }

    @Override
    public String toString() {
        return "OutboundConnector{name="
                + name
                + ", recipientDomains="
                + recipientDomains
                + ", smartHosts="
                + (smartHosts.isEmpty() ? "MX" : smartHosts.toString())
                + ", tls="
                + tlsLevel
                + (tlsLevel == OutboundTlsLevel.MTA_STS || tlsLevel == OutboundTlsLevel.DANE
                        ? ", fallback=" + fallbackLevel
                        : "")
                + (tlsLevel == OutboundTlsLevel.DANE && fallbackLevel == OutboundTlsLevel.MTA_STS
                        ? ", mtaStsFallback=" + mtaStsFallbackLevel
                        : "")
                + ", minimumProtocol="
                + minimumProtocol.map(TlsProtocolVersion::jsseName).orElse("-")
                + trustStore.map(t -> ", trustStore=" + t).orElse("")
                + (expectedNames.isEmpty() ? "" : ", expectedNames=" + expectedNames)
                + clientCertificate.map(c -> ", clientCertificate=dkm:" + c).orElse("")
                + "}";
    }

    /**
     * Collects a connector's settings; {@link ConnectorsFile} validates them before calling {@link
     * #build()}.
     */
    public static final class Builder {
        private final String name;
        private final List<DomainPattern> recipientDomains = new ArrayList<>();
        private final List<SmartHost> smartHosts = new ArrayList<>();
        private OutboundTlsLevel tlsLevel = OutboundTlsLevel.OPPORTUNISTIC;
        private Optional<TlsProtocolVersion> minimumProtocol = Optional.empty();
        private OutboundTlsLevel fallbackLevel = OutboundTlsLevel.OPPORTUNISTIC;
        private OutboundTlsLevel mtaStsFallbackLevel = OutboundTlsLevel.OPPORTUNISTIC;
        private Optional<String> trustStore = Optional.empty();
        private Optional<String> trustStorePassword = Optional.empty();
        private final List<String> expectedNames = new ArrayList<>();
        private Optional<String> clientCertificate = Optional.empty();
        private Duration clientCertificateRefresh = DEFAULT_CLIENT_CERTIFICATE_REFRESH;

        private Builder(String name) {
            this.name = name;
        }

        public Builder recipientDomain(DomainPattern pattern) {
            recipientDomains.add(pattern);
            return this;
        }

        public Builder smartHost(SmartHost host) {
            smartHosts.add(host);
            return this;
        }

        public Builder tlsLevel(OutboundTlsLevel level) {
            this.tlsLevel = level;
            return this;
        }

        public Builder minimumProtocol(TlsProtocolVersion version) {
            this.minimumProtocol = Optional.of(version);
            return this;
        }

        /** The level for domains without an enforce policy, for an {@code mta-sts} connector. */
        public Builder fallbackLevel(OutboundTlsLevel level) {
            this.fallbackLevel = level;
            return this;
        }

        /**
         * The level for domains without an MTA-STS enforce policy, for a {@code dane} connector
         * whose fallback is {@code mta-sts}.
         */
        public Builder mtaStsFallbackLevel(OutboundTlsLevel level) {
            this.mtaStsFallbackLevel = level;
            return this;
        }

        public Builder trustStore(String location, Optional<String> password) {
            this.trustStore = Optional.of(location);
            this.trustStorePassword = password;
            return this;
        }

        public Builder expectedName(String name) {
            expectedNames.add(name);
            return this;
        }

        /** The DKM secret holding the client certificate, and how long to use what was read. */
        public Builder clientCertificate(String dkmSecret, Duration refresh) {
            this.clientCertificate = Optional.of(dkmSecret);
            this.clientCertificateRefresh = refresh;
            return this;
        }

        public OutboundConnector build() {
            return new OutboundConnector(this);
        }
    }
}

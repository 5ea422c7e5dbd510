package dev.mailsec.mailets.connector;

import dev.mailsec.config.ConfigException;
import dev.mailsec.config.PackPaths;
import dev.mailsec.config.Parameters;
import dev.mailsec.dkm.Dkm;
import dev.mailsec.dkmclient.DkmClients;
import dev.mailsec.tls.connector.ClientKey;
import dev.mailsec.tls.connector.ClientKeyCache;
import dev.mailsec.tls.connector.ConnectorContexts;
import dev.mailsec.tls.connector.ConnectorSocketFactory;
import dev.mailsec.tls.connector.Connectors;
import dev.mailsec.tls.connector.ConnectorsFile;
import dev.mailsec.tls.connector.DkmClientKeys;
import dev.mailsec.tls.connector.InvalidConnectorsException;
import dev.mailsec.tls.connector.LiveConnectors;
import dev.mailsec.tls.connector.OutboundConnector;
import dev.mailsec.tls.connector.SmartHost;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import javax.inject.Inject;
import javax.mail.MessagingException;
import org.apache.james.dnsservice.api.DNSService;
import org.apache.james.dnsservice.api.TemporaryResolutionException;
import org.apache.james.domainlist.api.DomainList;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.queue.api.MailQueueFactory;
import org.apache.james.transport.mailets.RemoteDelivery;
import org.apache.mailet.MailetConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * James's own {@code RemoteDelivery} (queue, retries, bounces, every parameter unchanged) for a
 * {@code verify} connector with its own {@code trustStore} or {@code expectedName}s: at start it
 * loads the connector from the connectors file, builds its TLS context ({@link ConnectorTrust}:
 * chain against the connector's trust store, certificate name against the expected names) for each
 * smart host and registers it with {@link ConnectorSocketFactory}, which JavaMail uses through
 * {@code mail.smtp.ssl.socketFactory.class}; without smart hosts (delivery by MX) it binds its
 * delivery threads to the connector's trust instead, which checks each MX host's certificate
 * against the trust store and the expected names or else the MX name. A missing or unreadable trust
 * store fails the start naming the connector and {@code trustStore}. A connector with a {@code
 * clientCertificate} (level {@code required} or {@code verify}) presents the primary version of
 * that DKM secret, read through {@code dkmConfig} (default {@code conf/dkm.properties}), checked at
 * start and read again after the connector's {@code clientCertificateRefresh} ({@link
 * ClientKeyCache}); without it the attempt fails before the handshake and the mail waits. Generated
 * by {@code ./mailsec tls remote-delivery}:
 *
 * <pre>{@code
 * <mailet match="All" class="dev.mailsec.mailets.connector.ConnectorRemoteDelivery">
 *     <connector>bank</connector>
 *     <connectors>file://conf/connectors.xml</connectors>
 *     <outgoing>outgoing-connector-bank</outgoing>
 *     <bounceProcessor>bounces</bounceProcessor>
 *     <gateway>relay.bank.test:25</gateway>
 *     <startTLS>true</startTLS>
 *     <verifyServerIdentity>true</verifyServerIdentity>
 *     <mail.smtp.starttls.required>true</mail.smtp.starttls.required>
 *     <mail.smtp.ssl.checkserveridentity>false</mail.smtp.ssl.checkserveridentity>
 *     <mail.smtp.ssl.socketFactory.class>dev.mailsec.tls.connector.ConnectorSocketFactory</mail.smtp.ssl.socketFactory.class>
 * </mailet>
 * }</pre>
 *
 * Parameters other than {@code connector}, {@code connectors}, those of James's {@code
 * RemoteDelivery} and JavaMail's {@code mail.*} properties fail the start.
 */
public class ConnectorRemoteDelivery extends RemoteDelivery {

    static final String CONNECTOR = "connector";
    static final String CONNECTORS = "connectors";
    static final String SOCKET_FACTORY = "mail.smtp.ssl.socketFactory.class";
    static final String DKM_CONFIG = "dkmConfig";
    private static final Logger LOG = LoggerFactory.getLogger(ConnectorRemoteDelivery.class);

    private final ExtensionContextDns dns;

    @Inject
    public ConnectorRemoteDelivery(
            DNSService dnsServer,
            DomainList domainList,
            MailQueueFactory<?> queueFactory,
            MetricFactory metricFactory) {
        this(
                new ExtensionContextDns(new TlsReportingDns(dnsServer)),
                domainList,
                queueFactory,
                metricFactory);
    }

    private ConnectorRemoteDelivery(
            ExtensionContextDns dns,
            DomainList domainList,
            MailQueueFactory<?> queueFactory,
            MetricFactory metricFactory) {
        super(dns, domainList, queueFactory, metricFactory);
        this.dns = dns;
    }

    /** Always through the recording transport: every session counts in the TLS reports. */
    @Override
    public void init(MailetConfig config) throws MessagingException {
        super.init(RecordingTransport.config("ConnectorRemoteDelivery", config));
    }

    @Override
    public void init() throws MessagingException {
        RemoteDeliveryParameters.check(
                "ConnectorRemoteDelivery",
                getInitParameterNames(),
                Set.of(CONNECTOR, CONNECTORS, DKM_CONFIG));
        Parameters p = Parameters.of("ConnectorRemoteDelivery", this::getInitParameter);
        String name;
        String location;
        String dkmConfig;
        try {
            name = p.required(CONNECTOR);
            location = p.optional(CONNECTORS, "file://conf/connectors.xml");
            dkmConfig = p.optional(DKM_CONFIG, DkmClients.DEFAULT_CONFIG);
            // James's own parameter, compared as James's RemoteDelivery will read it (untrimmed)
            String socketFactory = getInitParameter(SOCKET_FACTORY);
            if (!ConnectorSocketFactory.class.getName().equals(socketFactory)) {
                throw new ConfigException(
                        "ConnectorRemoteDelivery",
                        SOCKET_FACTORY,
                        socketFactory,
                        "must be "
                                + ConnectorSocketFactory.class.getName()
                                + ", or the connector's trust would not apply",
                        null);
            }
        } catch (ConfigException e) {
            throw new MessagingException(e.getMessage(), e);
        }
        try {
            Connectors connectors =
                    LiveConnectors.shared(ConnectorsFile.locate(location)).current().value();
            OutboundConnector connector =
                    connectors
                            .outbound(name)
                            .orElseThrow(
                                    () ->
                                            new MessagingException(
                                                    "ConnectorRemoteDelivery: "
                                                            + CONNECTOR
                                                            + ": no outbound connector '"
                                                            + name
                                                            + "' in "
                                                            + location));
            ConnectorContexts contexts =
                    new ConnectorContexts(
                            connector,
                            PackPaths.home(),
                            clientKey("ConnectorRemoteDelivery", connector, dkmConfig));
            if (connector.smartHosts().isEmpty()) {
                // by MX: the hosts are known only when delivering; the delivery threads carry the
                // connector's trust
                dns.bind(contexts);
            }
            for (SmartHost host : connector.smartHosts()) {
                ConnectorSocketFactory.register(host.host(), host.port(), contexts);
            }
        } catch (InvalidConnectorsException e) {
            throw new MessagingException("ConnectorRemoteDelivery: " + e.getMessage(), e);
        }
        super.init();
    }

    /**
     * The connector's client certificate from DKM, read once now: a secret that does not exist, is
     * not readable by this node's identity, is no KEY_PAIR, or whose key does not match its
     * certificate or whose certificate expired fails the start naming the connector and {@code
     * clientCertificate}; DKM unreachable does not (as for every DKM key: the mail waits).
     */
    static Optional<ClientKeyCache> clientKey(
            String mailet, OutboundConnector connector, String dkmConfig)
            throws MessagingException {
        if (connector.clientCertificate().isEmpty()) {
            return Optional.empty();
        }
        Supplier<Dkm> dkm = DkmClients.lazy(DKM_CONFIG, dkmConfig);
        ClientKeyCache cache =
                new ClientKeyCache(
                        new DkmClientKeys(
                                dkm, connector.clientCertificate().get(), Clock.systemUTC()),
                        connector.clientCertificateRefresh(),
                        Clock.systemUTC());
        String where =
                mailet + ": outbound connector '" + connector.name() + "': clientCertificate: ";
        try {
            ClientKey key = cache.prime();
            LOG.info(
                    "outbound connector '{}' presents {} from {}",
                    connector.name(),
                    key,
                    cache.describe());
        } catch (IllegalArgumentException e) {
            throw new MessagingException(where + e.getMessage(), e);
        } catch (InvalidConnectorsException e) {
            throw new MessagingException(where + e.getMessage(), e);
        } catch (IOException e) {
            LOG.warn(
                    "outbound connector '{}': clientCertificate not checked at start, mail waits"
                            + " until DKM answers: {}",
                    connector.name(),
                    e.getMessage());
        }
        return Optional.of(cache);
    }

    @Override
    public String getMailetInfo() {
        return "ConnectorRemoteDelivery: RemoteDelivery with an outbound connector's own trust store and expected names";
    }

    /**
     * James's DNS service, unchanged, except that each lookup RemoteDelivery makes before it
     * connects (on its delivery thread) makes this extension's class loader the thread's context
     * class loader: JavaMail loads {@code mail.smtp.ssl.socketFactory.class} through it, and
     * James's own loader does not see extension jars. For a connector delivering by MX it also
     * binds the delivery thread to the connector's trust.
     */
    static final class ExtensionContextDns implements DNSService {
        private static final ClassLoader EXTENSION = ConnectorSocketFactory.class.getClassLoader();
        private final DNSService dns;
        private volatile ConnectorSocketFactory.HostTrust mxTrust;

        ExtensionContextDns(DNSService dns) {
            this.dns = dns;
        }

        /** Set once by {@code init()}, before any delivery. */
        void bind(ConnectorSocketFactory.HostTrust trust) {
            this.mxTrust = trust;
        }

        private void useExtensionLoader() {
            if (Thread.currentThread().getContextClassLoader() != EXTENSION) {
                Thread.currentThread().setContextClassLoader(EXTENSION);
            }
            ConnectorSocketFactory.HostTrust trust = mxTrust;
            if (trust != null) {
                ConnectorSocketFactory.bindCurrentThread(trust);
            }
        }

        @Override
        public Collection<String> findMXRecords(String hostname)
                throws TemporaryResolutionException {
            useExtensionLoader();
            return dns.findMXRecords(hostname);
        }

        @Override
        public Collection<String> findTXTRecords(String hostname) {
            return dns.findTXTRecords(hostname);
        }

        @Override
        public Collection<InetAddress> getAllByName(String host) throws UnknownHostException {
            useExtensionLoader();
            return dns.getAllByName(host);
        }

        @Override
        public InetAddress getByName(String host) throws UnknownHostException {
            useExtensionLoader();
            return dns.getByName(host);
        }

        @Override
        public InetAddress getLocalHost() throws UnknownHostException {
            return dns.getLocalHost();
        }

        @Override
        public String getHostName(InetAddress addr) {
            return dns.getHostName(addr);
        }
    }
}

package dev.mailsec.mailets.connector;

import dev.mailsec.config.ConfigException;
import dev.mailsec.config.InitParameters;
import dev.mailsec.config.Parameters;
import dev.mailsec.config.reload.ReloadableFile;
import dev.mailsec.guard.PerMailGuard;
import dev.mailsec.tls.connector.ConnectorAttributeNames;
import dev.mailsec.tls.connector.ConnectorRoutes;
import dev.mailsec.tls.connector.Connectors;
import dev.mailsec.tls.connector.ConnectorsFile;
import dev.mailsec.tls.connector.InvalidConnectorsException;
import dev.mailsec.tls.connector.LiveConnectors;
import dev.mailsec.tls.connector.OutboundConnector;
import dev.mailsec.tls.connector.RemoteDeliveryPlan;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.inject.Inject;
import javax.mail.MessagingException;
import org.apache.james.core.MailAddress;
import org.apache.james.dnsservice.api.DNSService;
import org.apache.james.domainlist.api.DomainList;
import org.apache.james.filesystem.api.FileSystem;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.queue.api.MailQueueFactory;
import org.apache.james.transport.mailets.RemoteDelivery;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeUtils;
import org.apache.mailet.Mail;
import org.apache.mailet.MailetConfig;
import org.apache.mailet.MailetContext;
import org.apache.mailet.ProcessingState;
import org.apache.mailet.base.GenericMailet;

/**
 * One route for every outbound connector of a connectors file: delivers each recipient with the TLS
 * policy of the connector covering its domain, so adding an {@code <outbound>} element and
 * restarting James is enough. At start it makes one James {@code RemoteDelivery} per connector,
 * exactly as {@code ./mailsec tls remote-delivery} would write it ({@link RemoteDeliveryPlan}: its
 * own queue {@code outgoing-connector-NAME}, {@code required}/{@code verify} never falling back to
 * clear text, minimum protocol, {@link ConnectorRemoteDelivery} for a connector with its own trust
 * store or expected names), and hands each mail's recipients to the delivery of their connector.
 * Reached from the processor holding the general {@code RemoteDelivery} through {@code
 * RecipientConnectorIs=*}:
 *
 * <pre>{@code
 * <mailet match="dev.mailsec.matchers.connector.RecipientConnectorIs=*" class="ToProcessor">
 *     <processor>connectors-outbound</processor>
 * </mailet>
 * ...
 * <processor state="connectors-outbound" enableJmx="true">
 *     <mailet match="All" class="dev.mailsec.mailets.connector.ConnectorsRemoteDelivery">
 *         <connectors>file://conf/connectors.xml</connectors>
 *         <bounceProcessor>bounces</bounceProcessor>
 *     </mailet>
 * </processor>
 * }</pre>
 *
 * An {@code mta-sts} or {@code dane} connector needs the two processors {@code ./mailsec tls
 * remote-delivery} generates and its own {@code RecipientConnectorIs=NAME} step before this route;
 * a recipient of one reaching this mailet anyway is not delivered but sent to the {@code error}
 * processor (held), never in clear.
 *
 * <p>connectors.xml can be reloaded while James runs (docs/tls-connectors.md, "Reload"): each mail
 * is split under the generation {@code RecipientConnectorIs} routed it under (stamped on the mail),
 * and a connector a reload adds gets its RemoteDelivery on its first mail.
 */
public class ConnectorsRemoteDelivery extends GenericMailet {

    static final String CONNECTORS = "connectors";
    static final String BOUNCE_PROCESSOR = "bounceProcessor";
    static final String DELAY_TIME = "delayTime";
    static final String MAX_RETRIES = "maxRetries";
    static final String DELIVERY_THREADS = "deliveryThreads";

    private final DNSService dnsServer;
    private final DomainList domainList;
    private final MailQueueFactory<?> queueFactory;
    private final MetricFactory metricFactory;
    private FileSystem fileSystem;

    private static final AttributeName GENERATION =
            AttributeName.of(ConnectorAttributeNames.OUTBOUND_GENERATION);

    private ReloadableFile<Connectors> live;
    private String location;
    private String bounceProcessor;
    private final Map<String, RemoteDelivery> deliveries = new LinkedHashMap<>();

    @Inject
    public ConnectorsRemoteDelivery(
            DNSService dnsServer,
            DomainList domainList,
            MailQueueFactory<?> queueFactory,
            MetricFactory metricFactory) {
        this.dnsServer = dnsServer;
        this.domainList = domainList;
        this.queueFactory = queueFactory;
        this.metricFactory = metricFactory;
    }

    /**
     * James's file system, to find the configuration James started with ({@link DeclaredPolicies}).
     */
    @Inject
    public void setFileSystem(FileSystem fileSystem) {
        this.fileSystem = fileSystem;
    }

    @Override
    public void init() throws MessagingException {
        InitParameters.checkKnown(
                "ConnectorsRemoteDelivery",
                getInitParameterNames(),
                Set.of(
                        CONNECTORS,
                        BOUNCE_PROCESSOR,
                        DELAY_TIME,
                        MAX_RETRIES,
                        DELIVERY_THREADS,
                        ConnectorRemoteDelivery.DKM_CONFIG));
        String location = getInitParameter(CONNECTORS, RemoteDeliveryPlan.DEFAULT_LOCATION).trim();
        if (getInitParameter(BOUNCE_PROCESSOR, "").trim().isEmpty()) {
            throw new MessagingException(
                    "ConnectorsRemoteDelivery: "
                            + BOUNCE_PROCESSOR
                            + " is required (e.g. bounces)");
        }
        try {
            bounceProcessor =
                    Parameters.of("ConnectorsRemoteDelivery", this::getInitParameter)
                            .processor(BOUNCE_PROCESSOR);
        } catch (ConfigException e) {
            throw new MessagingException(e.getMessage(), e);
        }
        Path connectorsFile;
        try {
            connectorsFile = ConnectorsFile.locate(location);
            live = LiveConnectors.shared(connectorsFile);
        } catch (InvalidConnectorsException e) {
            throw new MessagingException(
                    "ConnectorsRemoteDelivery: " + CONNECTORS + ": " + e.getMessage(), e);
        }
        this.location = location;
        DeclaredPolicies.requireEnforced("ConnectorsRemoteDelivery", fileSystem, live);
        for (OutboundConnector connector : live.current().value().outbound()) {
            if (!ConnectorRoutes.needsOwnRoute(connector)) {
                deliveryOf(connector);
            }
        }
    }

    /**
     * The RemoteDelivery of {@code connector}, made on first use: at start for the connectors of
     * the file, later for a connector a reload added. A connector's delivery settings cannot change
     * by a reload ({@link LiveConnectors}), so one delivery per name serves every generation.
     */
    private synchronized RemoteDelivery deliveryOf(OutboundConnector connector)
            throws MessagingException {
        RemoteDelivery existing = deliveries.get(connector.name());
        if (existing != null) {
            return existing;
        }
        RemoteDeliveryPlan plan = RemoteDeliveryPlan.of(connector, location);
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("outgoing", plan.queueName());
        parameters.put(
                DELAY_TIME, getInitParameter(DELAY_TIME, RemoteDeliveryPlan.DEFAULT_DELAY_TIME));
        parameters.put(
                MAX_RETRIES, getInitParameter(MAX_RETRIES, RemoteDeliveryPlan.DEFAULT_MAX_RETRIES));
        parameters.put("maxDnsProblemRetries", "0");
        parameters.put(DELIVERY_THREADS, getInitParameter(DELIVERY_THREADS, "2"));
        parameters.put("sendpartial", "true");
        parameters.put(BOUNCE_PROCESSOR, bounceProcessor.trim());
        // every session's TLS result goes to the TLS reports (SendTlsReports), if any
        parameters.put(RecordingTransport.PROPERTY, RecordingTransport.VALUE);
        RemoteDelivery delivery;
        if (connector.needsOwnContext()) {
            parameters.put(ConnectorRemoteDelivery.CONNECTOR, connector.name());
            parameters.put(ConnectorRemoteDelivery.CONNECTORS, location);
            String dkmConfig = getInitParameter(ConnectorRemoteDelivery.DKM_CONFIG);
            if (dkmConfig != null) {
                parameters.put(ConnectorRemoteDelivery.DKM_CONFIG, dkmConfig);
            }
            delivery =
                    new ConnectorRemoteDelivery(dnsServer, domainList, queueFactory, metricFactory);
        } else {
            delivery =
                    new RemoteDelivery(
                            new TlsReportingDns(dnsServer),
                            domainList,
                            queueFactory,
                            metricFactory);
        }
        parameters.putAll(plan.tlsParameters());
        delivery.init(
                new Config(
                        "ConnectorsRemoteDelivery[" + connector.name() + "]",
                        parameters,
                        getMailetContext()));
        deliveries.put(connector.name(), delivery);
        return delivery;
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        PerMailGuard.run(getClass().getSimpleName(), () -> deliver(mail));
    }

    private void deliver(Mail mail) throws MessagingException {
        // the generation RecipientConnectorIs routed the mail under, so that a reload meanwhile
        // never splits it by another
        Connectors connectors =
                LiveConnectors.forStamp(
                                live,
                                AttributeUtils.getValueAndCastFromMail(
                                        mail, GENERATION, String.class))
                        .value();
        Map<OutboundConnector, List<MailAddress>> byConnector = new LinkedHashMap<>();
        List<MailAddress> unserved = new ArrayList<>();
        for (MailAddress recipient : mail.getRecipients()) {
            Optional<OutboundConnector> connector =
                    connectors.outboundFor(recipient.getDomain().asString());
            if (connector.isPresent() && !ConnectorRoutes.needsOwnRoute(connector.get())) {
                byConnector.computeIfAbsent(connector.get(), c -> new ArrayList<>()).add(recipient);
            } else {
                unserved.add(recipient);
            }
        }
        for (Map.Entry<OutboundConnector, List<MailAddress>> group : byConnector.entrySet()) {
            RemoteDelivery delivery = deliveryOf(group.getKey());
            Mail copy = mail.duplicate();
            copy.setRecipients(group.getValue());
            // RemoteDelivery enqueues the copy on the connector's own queue and ghosts it
            delivery.service(copy);
        }
        if (unserved.isEmpty()) {
            mail.setState(Mail.GHOST);
        } else {
            // covered by no connector this route serves (an mta-sts connector without its own
            // route):
            // held in the error processor, never delivered without its policy
            mail.setRecipients(unserved);
            mail.setErrorMessage(
                    "ConnectorsRemoteDelivery: no outbound connector route for " + unserved);
            mail.setState(Mail.ERROR);
        }
    }

    /** As RemoteDelivery: James checks at start that the bounce processor exists. */
    @Override
    public Collection<ProcessingState> requiredProcessingState() {
        return bounceProcessor == null
                ? List.of()
                : List.of(new ProcessingState(bounceProcessor.trim()));
    }

    @Override
    public synchronized void destroy() {
        deliveries.values().forEach(RemoteDelivery::destroy);
    }

    @Override
    public String getMailetInfo() {
        return "ConnectorsRemoteDelivery: delivers each recipient with the TLS policy of its outbound connector";
    }

    /** The init parameters of one connector's RemoteDelivery. */
    private static final class Config implements MailetConfig {
        private final String name;
        private final Map<String, String> parameters;
        private final MailetContext context;

        Config(String name, Map<String, String> parameters, MailetContext context) {
            this.name = name;
            this.parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
            this.context = context;
        }

        @Override
        public String getInitParameter(String name) {
            return parameters.get(name);
        }

        @Override
        public Iterator<String> getInitParameterNames() {
            return parameters.keySet().iterator();
        }

        @Override
        public MailetContext getMailetContext() {
            return context;
        }

        @Override
        public String getMailetName() {
            return name;
        }
    }
}

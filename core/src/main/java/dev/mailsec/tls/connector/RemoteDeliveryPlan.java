package dev.mailsec.tls.connector;

import dev.mailsec.tls.TlsProtocolVersion;
import dev.mailsec.tls.report.ReportingSmtpTransport;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * How James's own {@code RemoteDelivery} mailet enforces an outbound connector: the init parameters
 * of one {@code RemoteDelivery} per connector, in a processor of its own ({@code connector-NAME})
 * with its own outgoing queue, reached through {@code RecipientConnectorIs=NAME} from the processor
 * that holds the general RemoteDelivery (stock James: {@code relay}, which only relay-allowed mail
 * reaches). Every parameter starting with {@code mail.} is handed to JavaMail after James's
 * defaults (see docs/adr/0005-tls-connectors-on-remote-delivery.md):
 *
 * <ul>
 *   <li>{@code opportunistic}: {@code startTLS=true}, any certificate ({@code
 *       mail.smtp.ssl.trust=*}), clear text when the peer offers no STARTTLS;
 *   <li>{@code required}: as above plus {@code mail.smtp.starttls.required=true}: no STARTTLS, or a
 *       failed handshake, is a temporary failure, retried and finally bounced, never a delivery in
 *       clear;
 *   <li>{@code verify}: STARTTLS required, the chain checked against James's JVM trust store and
 *       the certificate's DNS name checked against the host delivered to ({@code
 *       verifyServerIdentity}, {@code mail.smtp.ssl.checkserveridentity});
 *   <li>a minimum protocol becomes {@code mail.smtp.ssl.protocols}, the versions from it upwards.
 * </ul>
 */
public final class RemoteDeliveryPlan {

    /**
     * Retry schedule written into generated processors; operators adjust it like any
     * RemoteDelivery.
     */
    public static final String DEFAULT_DELAY_TIME = "5000, 100000, 500000";

    public static final String DEFAULT_MAX_RETRIES = "5";

    /** Where James finds the connectors file unless told otherwise. */
    public static final String DEFAULT_LOCATION = "file://conf/connectors.xml";

    /**
     * James's RemoteDelivery, unchanged but for recording each session for the TLS reports (James's
     * own class cannot: docs/tls-reports.md).
     */
    public static final String REPORTING_REMOTE_DELIVERY =
            "dev.mailsec.mailets.connector.ReportingRemoteDelivery";

    /**
     * The JavaMail transport every generated RemoteDelivery names ({@code mail.smtp.class}), so its
     * sessions count in the TLS reports; the pack's RemoteDelivery mailets set it when absent.
     */
    public static final String RECORDING_TRANSPORT = ReportingSmtpTransport.class.getName();

    /** James's RemoteDelivery using a connector's own trust store and expected names. */
    public static final String CONNECTOR_REMOTE_DELIVERY =
            "dev.mailsec.mailets.connector.ConnectorRemoteDelivery";

    private final OutboundConnector connector;
    private final String connectorsLocation;

    private RemoteDeliveryPlan(OutboundConnector connector, String connectorsLocation) {
        this.connector = connector;
        this.connectorsLocation = connectorsLocation;
    }

    public static RemoteDeliveryPlan of(OutboundConnector connector) {
        return new RemoteDeliveryPlan(connector, DEFAULT_LOCATION);
    }

    /**
     * As {@link #of(OutboundConnector)}, for a connectors file James names {@code
     * connectorsLocation}.
     */
    public static RemoteDeliveryPlan of(OutboundConnector connector, String connectorsLocation) {
        return new RemoteDeliveryPlan(connector, connectorsLocation);
    }

    /** {@code connector-NAME}: the processor that delivers the connector's mail. */
    public String processorName() {
        return "connector-" + connector.name();
    }

    /** {@code outgoing-connector-NAME}: the connector's own outgoing queue. */
    public String queueName() {
        return "outgoing-" + processorName();
    }

    /**
     * {@code connector-NAME-mta-sts}: for an {@code mta-sts} connector, the processor of
     * enforce-mode domains.
     */
    public String enforceProcessorName() {
        return processorName() + "-mta-sts";
    }

    /**
     * The TLS-related RemoteDelivery parameters, in the order they are written; for an {@code
     * mta-sts} connector those of its fallback level (see {@link #enforceParameters()} for
     * enforce-mode domains).
     */
    public Map<String, String> tlsParameters() {
        return parameters(connector.fallbackLevel());
    }

    /**
     * For an {@code mta-sts} connector, the parameters of the delivery of domains whose policy is
     * in {@code enforce} mode: STARTTLS required, chain and MX host name verified (RFC 8461 section
     * 4.2).
     */
    public Map<String, String> enforceParameters() {
        return parameters(OutboundTlsLevel.VERIFY);
    }

    private Map<String, String> parameters(OutboundTlsLevel level) {
        Map<String, String> parameters = new LinkedHashMap<>();
        if (!connector.smartHosts().isEmpty()) {
            StringJoiner gateways = new StringJoiner(",");
            connector.smartHosts().forEach(host -> gateways.add(host.toString()));
            parameters.put("gateway", gateways.toString());
        }
        parameters.put("startTLS", "true");
        boolean verify = level == OutboundTlsLevel.VERIFY;
        // verifyServerIdentity also makes RemoteDelivery connect by host name, which own trust
        // needs too
        parameters.put("verifyServerIdentity", Boolean.toString(verify));
        parameters.put(
                "mail.smtp.starttls.required", Boolean.toString(level.encryptionMandatory()));
        // own trust (verify) or a client certificate (required, verify): ConnectorContexts
        boolean ownTrust =
                (verify && connector.hasOwnTrust())
                        || (level.encryptionMandatory()
                                && connector.clientCertificate().isPresent());
        // with own trust, ConnectorTrust checks the chain and the expected name instead of JavaMail
        parameters.put("mail.smtp.ssl.checkserveridentity", Boolean.toString(verify && !ownTrust));
        if (ownTrust) {
            parameters.put(
                    "mail.smtp.ssl.socketFactory.class", ConnectorSocketFactory.class.getName());
        }
        if (!verify && !ownTrust) {
            // Any certificate: JavaMail's MailSSLSocketFactory trusting all hosts (Postfix
            // "may"/"encrypt").
            parameters.put("mail.smtp.ssl.trust", "*");
        }
        protocols(parameters);
        return Collections.unmodifiableMap(parameters);
    }

    private void protocols(Map<String, String> parameters) {
        if (!connector.allowedProtocols().isEmpty()) {
            StringJoiner protocols = new StringJoiner(" ");
            for (TlsProtocolVersion version : connector.allowedProtocols()) {
                protocols.add(version.jsseName());
            }
            parameters.put("mail.smtp.ssl.protocols", protocols.toString());
        }
    }

    /**
     * The step, for the processor holding the general RemoteDelivery ({@code relay}), that hands
     * covered recipients to this connector's processor. Not for {@code transport}: there it would
     * run before James's relay check and let anyone relay to the partner.
     */
    public String routingStepXml(String connectorsLocation) {
        String condition =
                connector.name()
                        + (connectorsLocation.equals(DEFAULT_LOCATION)
                                ? ""
                                : "," + connectorsLocation);
        return "<mailet match=\"dev.mailsec.matchers.connector.RecipientConnectorIs="
                + escape(condition)
                + "\" class=\"ToProcessor\">\n"
                + "    <processor>"
                + processorName()
                + "</processor>\n"
                + "</mailet>\n";
    }

    /**
     * The connector's processor: one RemoteDelivery with the connector's policy, bouncing to {@code
     * bounceProcessor}.
     */
    public String processorXml(String bounceProcessor) {
        return processorXml(bounceProcessor, DEFAULT_DELAY_TIME, DEFAULT_MAX_RETRIES);
    }

    /**
     * As {@link #processorXml(String)}, with RemoteDelivery's own {@code delayTime} and {@code
     * maxRetries}. An {@code mta-sts} connector gets two processors: {@code connector-NAME} routes
     * recipients whose domain has an {@code enforce} policy to {@code connector-NAME-mta-sts} and
     * delivers the others at the fallback level (reporting, not enforcing, {@code testing}
     * policies); {@code connector-NAME-mta-sts} delivers only to the MX hosts the policy lists,
     * with verified TLS, and counts "no allowed MX host" as a temporary failure until {@code
     * maxRetries}. A {@code dane} connector gets {@code connector-NAME}, which routes recipients
     * whose domain DANE applies to (or must hold) to {@code connector-NAME-dane} and delivers the
     * others at the fallback level (as an {@code mta-sts} connector when that is the fallback, with
     * its {@code connector-NAME-mta-sts}), and {@code connector-NAME-dane}, which delivers only to
     * MX hosts with DNSSEC-signed TLSA records, over TLS those records authenticate, and holds
     * everything else until {@code maxRetries}.
     */
    public String processorXml(String bounceProcessor, String delayTime, String maxRetries) {
        OutboundTlsLevel level = connector.tlsLevel();
        boolean dane = level == OutboundTlsLevel.DANE;
        boolean mtaSts =
                level == OutboundTlsLevel.MTA_STS
                        || (dane && connector.fallbackLevel() == OutboundTlsLevel.MTA_STS);
        Retries retries = new Retries(bounceProcessor, delayTime, maxRetries);
        StringBuilder xml =
                new StringBuilder()
                        .append("<!-- outbound connector '")
                        .append(escape(connector.name()))
                        .append("': ")
                        .append(level)
                        .append(
                                level == OutboundTlsLevel.MTA_STS || dane
                                        ? " (fallback " + connector.fallbackLevel() + ")"
                                        : "")
                        .append(
                                connector
                                        .minimumProtocol()
                                        .map(v -> ", " + v.jsseName() + " or newer")
                                        .orElse(""))
                        .append(" -->\n")
                        .append("<processor state=\"")
                        .append(processorName())
                        .append("\" enableJmx=\"true\">\n");
        if (dane) {
            xml.append("    <mailet match=\"All\" class=\"").append(ROUTE_BY_DANE).append("\">\n");
            element(xml, "daneProcessor", daneProcessorName());
            element(xml, "connectors", connectorsLocation);
            xml.append("    </mailet>\n");
        }
        if (mtaSts) {
            xml.append("    <mailet match=\"All\" class=\"")
                    .append(ROUTE_BY_MTA_STS)
                    .append("\">\n");
            element(xml, "enforceProcessor", enforceProcessorName());
            xml.append("    </mailet>\n");
            Map<String, String> own = new LinkedHashMap<>();
            own.put("mtaSts", "report");
            // the fallback delivery hands mail to the enforce processor once its domain has an
            // enforce policy
            own.put("enforceProcessor", enforceProcessorName());
            remoteDelivery(
                    xml,
                    MTA_STS_REMOTE_DELIVERY,
                    own,
                    queueName(),
                    retries,
                    "0",
                    parameters(connector.mtaStsFallbackLevel()));
        } else if (connector.needsOwnContext() && (!dane || connector.hasOwnTrust())) {
            // a dane connector's fallback needs this only for its own trust: its client
            // certificate alone is presented by its DANE delivery
            Map<String, String> own = new LinkedHashMap<>();
            own.put("connector", connector.name());
            own.put("connectors", connectorsLocation);
            remoteDelivery(
                    xml,
                    CONNECTOR_REMOTE_DELIVERY,
                    own,
                    queueName(),
                    retries,
                    "0",
                    tlsParameters());
        } else if (dane) {
            Map<String, String> own = new LinkedHashMap<>();
            own.put("dane", "fallback");
            // the fallback delivery hands mail to the DANE processor once DANE applies to its
            // domain
            own.put("daneProcessor", daneProcessorName());
            own.put("connectors", connectorsLocation);
            remoteDelivery(
                    xml, DANE_REMOTE_DELIVERY, own, queueName(), retries, "0", tlsParameters());
        } else {
            remoteDelivery(
                    xml,
                    REPORTING_REMOTE_DELIVERY,
                    Map.of(),
                    queueName(),
                    retries,
                    "0",
                    tlsParameters());
        }
        xml.append("</processor>\n");
        if (dane) {
            xml.append("<processor state=\"")
                    .append(daneProcessorName())
                    .append("\" enableJmx=\"true\">\n");
            Map<String, String> own = new LinkedHashMap<>();
            own.put("dane", "enforce");
            // mail whose domain DANE no longer applies to goes back to the routing step
            own.put("fallbackProcessor", processorName());
            own.put("connectors", connectorsLocation);
            if (connector.clientCertificate().isPresent()) {
                // its client certificate, presented to the MX hosts DANE authenticates
                own.put("connector", connector.name());
            }
            remoteDelivery(
                    xml,
                    DANE_REMOTE_DELIVERY,
                    own,
                    "outgoing-" + daneProcessorName(),
                    retries,
                    maxRetries,
                    daneParameters());
            xml.append("</processor>\n");
        }
        if (mtaSts) {
            xml.append("<processor state=\"")
                    .append(enforceProcessorName())
                    .append("\" enableJmx=\"true\">\n");
            remoteDelivery(
                    xml,
                    MTA_STS_REMOTE_DELIVERY,
                    Map.of("mtaSts", "enforce"),
                    "outgoing-" + enforceProcessorName(),
                    retries,
                    maxRetries,
                    enforceParameters());
            xml.append("</processor>\n");
        }
        return xml.toString();
    }

    /** The mailet routing enforce-mode recipients of an {@code mta-sts} connector. */
    public static final String ROUTE_BY_MTA_STS = "dev.mailsec.mailets.connector.RouteByMtaSts";

    /** James's RemoteDelivery seeing only the MX hosts an MTA-STS policy allows. */
    public static final String MTA_STS_REMOTE_DELIVERY =
            "dev.mailsec.mailets.connector.MtaStsRemoteDelivery";

    /** The mailet routing the recipients of a {@code dane} connector that DANE applies to. */
    public static final String ROUTE_BY_DANE = "dev.mailsec.mailets.connector.RouteByDane";

    /** James's RemoteDelivery delivering by DANE, or at the fallback level re-checking DANE. */
    public static final String DANE_REMOTE_DELIVERY =
            "dev.mailsec.mailets.connector.DaneRemoteDelivery";

    /**
     * {@code connector-NAME-dane}: for a {@code dane} connector, the processor of domains DANE
     * applies to.
     */
    public String daneProcessorName() {
        return processorName() + "-dane";
    }

    /**
     * For a {@code dane} connector, the parameters of the DANE delivery: STARTTLS required, the
     * certificate checked by the MX host's TLSA records only ({@link DaneHostTrust} through {@link
     * ConnectorSocketFactory}; no name check by JavaMail, DANE-EE(3) ignores names), connecting to
     * the addresses James's DNS gives for the MX host.
     */
    public Map<String, String> daneParameters() {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("startTLS", "true");
        // by address from James's DNS: the trust is the MX host's TLSA records, not its name
        parameters.put("verifyServerIdentity", "false");
        parameters.put("mail.smtp.starttls.required", "true");
        parameters.put("mail.smtp.ssl.checkserveridentity", "false");
        parameters.put("mail.smtp.ssl.socketFactory.class", ConnectorSocketFactory.class.getName());
        protocols(parameters);
        return Collections.unmodifiableMap(parameters);
    }

    /** What every generated RemoteDelivery of one connector shares. */
    private static final class Retries {
        final String bounceProcessor;
        final String delayTime;
        final String maxRetries;

        Retries(String bounceProcessor, String delayTime, String maxRetries) {
            this.bounceProcessor = bounceProcessor;
            this.delayTime = delayTime;
            this.maxRetries = maxRetries;
        }
    }

    private static void remoteDelivery(
            StringBuilder xml,
            String mailetClass,
            Map<String, String> own,
            String queue,
            Retries retries,
            String maxDnsProblemRetries,
            Map<String, String> tls) {
        xml.append("    <mailet match=\"All\" class=\"").append(mailetClass).append("\">\n");
        for (Map.Entry<String, String> parameter : own.entrySet()) {
            element(xml, parameter.getKey(), parameter.getValue());
        }
        element(xml, "outgoing", queue);
        element(xml, "delayTime", retries.delayTime);
        element(xml, "maxRetries", retries.maxRetries);
        element(xml, "maxDnsProblemRetries", maxDnsProblemRetries);
        element(xml, "deliveryThreads", "2");
        element(xml, "sendpartial", "true");
        element(xml, "bounceProcessor", retries.bounceProcessor);
        for (Map.Entry<String, String> parameter : tls.entrySet()) {
            element(xml, parameter.getKey(), parameter.getValue());
        }
        // every session of the connector counts in the TLS reports (SendTlsReports)
        element(xml, "mail.smtp.class", RECORDING_TRANSPORT);
        xml.append("    </mailet>\n");
    }

    private static void element(StringBuilder xml, String name, String value) {
        xml.append("        <")
                .append(name)
                .append('>')
                .append(escape(value))
                .append("</")
                .append(name)
                .append(">\n");
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;");
    }
}

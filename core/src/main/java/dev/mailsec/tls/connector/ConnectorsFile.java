package dev.mailsec.tls.connector;

import dev.mailsec.config.PackPaths;
import dev.mailsec.config.XmlDocuments;
import dev.mailsec.tls.connector.dane.DaneResolverSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * Reads and validates a connectors file ({@code conf/connectors.xml}):
 *
 * <pre>{@code
 * <connectors>
 *   <inbound name="partner">
 *     <senderDomain>partner.test</senderDomain>            <!-- envelope sender or From: domain; *.x for subdomains -->
 *     <clientNetwork>203.0.113.0/24</clientNetwork>        <!-- IPv4 or IPv6 CIDR -->
 *     <clientCertificate>DNS:mx.partner.test</clientCertificate> <!-- SAN or subject DN -->
 *     <requires tls="true" minimumProtocol="TLSv1.2" clientCertificate="false">
 *       <clientCertificateName>DNS:mx.partner.test</clientCertificateName>
 *       <cipherSuite>TLS_AES_256_GCM_SHA384</cipherSuite>
 *     </requires>
 *   </inbound>
 *   <outbound name="bank">
 *     <recipientDomain>bank.test</recipientDomain>
 *     <recipientDomain>*.bank.test</recipientDomain>
 *     <smartHost>relay.bank.test:25</smartHost>            <!-- none: the domain's MX hosts -->
 *     <tls level="verify" minimumProtocol="TLSv1.2"/>       <!-- opportunistic | required | verify -->
 *   </outbound>
 * </connectors>
 * }</pre>
 *
 * Parsed with the JDK's DOM parser with secure processing on, no DTD and no external entities.
 * Every mistake, including an unknown element or attribute, is an {@link
 * InvalidConnectorsException} naming the connector, the field and the bad value.
 */
public final class ConnectorsFile {

    /** Files larger than this are refused before parsing. */
    /** Files larger than this are refused before parsing. */
    static final int MAX_BYTES = 1 << 20;

    private final String source;
    private final ConnectorElements xml;
    private final InboundConnectorReader inboundReader;
    private final OutboundConnectorReader outboundReader;
    private final DaneElementReader daneReader;

    private ConnectorsFile(String source) {
        this.source = source;
        this.xml = new ConnectorElements(source);
        this.inboundReader = new InboundConnectorReader(xml);
        this.outboundReader = new OutboundConnectorReader(xml);
        this.daneReader = new DaneElementReader(xml);
    }

    /**
     * Where {@code location} points inside the running James, by {@link PackPaths#resolve(String)}.
     *
     * @throws InvalidConnectorsException for a blank location or one that is no file path, naming
     *     it
     */
    public static Path locate(String location) throws InvalidConnectorsException {
        try {
            return PackPaths.resolve(location);
        } catch (IllegalArgumentException e) {
            throw new InvalidConnectorsException(e.getMessage(), e);
        }
    }

    /** Reads and validates the file at {@code path}. */
    public static Connectors load(Path path) throws InvalidConnectorsException {
        String source = path.toString();
        byte[] content;
        try {
            if (Files.size(path) > MAX_BYTES) {
                throw new InvalidConnectorsException(
                        source + ": larger than " + MAX_BYTES + " bytes");
            }
            content = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new InvalidConnectorsException(source + ": no such file", e);
        } catch (IOException e) {
            throw new InvalidConnectorsException(source + ": cannot read: " + e.getMessage(), e);
        }
        return parse(content, source);
    }

    /** Validates {@code content}; {@code source} names it in error messages. */
    public static Connectors parse(byte[] content, String source)
            throws InvalidConnectorsException {
        if (content.length > MAX_BYTES) {
            throw new InvalidConnectorsException(source + ": larger than " + MAX_BYTES + " bytes");
        }
        return new ConnectorsFile(source)
                .read(document(content, source, false).getDocumentElement());
    }

    /**
     * Parses {@code content} without fetching anything it references (no external entities, DTDs,
     * schemas or XIncludes). {@code allowDoctype}: a DOCTYPE declaration is accepted (and not
     * loaded) rather than refused, for James's own configuration files, which {@link
     * ConnectorRoutes} and {@code mailsec check} read with this same parser.
     */
    public static Document document(byte[] content, String source, boolean allowDoctype)
            throws InvalidConnectorsException {
        try {
            return XmlDocuments.parse(content, allowDoctype);
        } catch (SAXParseException e) {
            throw new InvalidConnectorsException(
                    source
                            + ": line "
                            + e.getLineNumber()
                            + ": not well-formed XML: "
                            + e.getMessage(),
                    e);
        } catch (SAXException | IOException e) {
            throw new InvalidConnectorsException(
                    source + ": not well-formed XML: " + e.getMessage(), e);
        }
    }

    private Connectors read(Element root) throws InvalidConnectorsException {
        if (!root.getTagName().equals("connectors")) {
            throw new InvalidConnectorsException(
                    source
                            + ": the root element must be <connectors>, got <"
                            + root.getTagName()
                            + ">");
        }
        xml.checkAttributes(root, Set.of(), "<connectors>");
        List<InboundConnector> inbound = new ArrayList<>();
        List<OutboundConnector> outbound = new ArrayList<>();
        Optional<DaneResolverSettings> dane = Optional.empty();
        Set<String> names = new HashSet<>();
        for (Element child : xml.children(root, "<connectors>")) {
            switch (child.getTagName()) {
                case "inbound":
                    inbound.add(inboundReader.read(child, names));
                    break;
                case "outbound":
                    outbound.add(outboundReader.read(child, names));
                    break;
                case "dane":
                    if (dane.isPresent()) {
                        throw new InvalidConnectorsException(xml.source() + ": dane: given twice");
                    }
                    dane = Optional.of(daneReader.read(child));
                    break;
                default:
                    throw new InvalidConnectorsException(
                            source
                                    + ": unknown element <"
                                    + child.getTagName()
                                    + "> in <connectors>; expected <inbound>, <outbound> or <dane>");
            }
        }
        checkSharedSmartHosts(outbound);
        for (OutboundConnector connector : outbound) {
            if (connector.tlsLevel() == OutboundTlsLevel.DANE && dane.isEmpty()) {
                throw new InvalidConnectorsException(
                        xml.source()
                                + ": outbound connector '"
                                + connector.name()
                                + "': level dane needs DNSSEC answers: add <dane resolver=\"127.0.0.1:53\"/> "
                                + "(a validating resolver on this host) to <connectors>");
            }
        }
        return new Connectors(inbound, outbound, dane);
    }

    /**
     * A connector's own trust applies per smart host (the JVM-wide socket factory picks it by host
     * and port), so two connectors naming the same smart host must agree on it.
     */
    private void checkSharedSmartHosts(List<OutboundConnector> outbound)
            throws InvalidConnectorsException {
        Map<String, OutboundConnector> byHost = new HashMap<>();
        for (OutboundConnector connector : outbound) {
            for (SmartHost host : connector.smartHosts()) {
                String key = host.host().toLowerCase(Locale.ROOT) + ":" + host.port();
                OutboundConnector other = byHost.putIfAbsent(key, connector);
                if (other != null
                        && (connector.needsOwnContext() || other.needsOwnContext())
                        && !(connector.trustStore().equals(other.trustStore())
                                && connector.clientCertificate().equals(other.clientCertificate())
                                && connector.fallbackLevel() == other.fallbackLevel()
                                && connector.trustStorePassword().equals(other.trustStorePassword())
                                && connector.expectedNames().equals(other.expectedNames()))) {
                    throw new InvalidConnectorsException(
                            source
                                    + ": outbound connector '"
                                    + connector.name()
                                    + "': smartHost: "
                                    + key
                                    + " is also used by connector '"
                                    + other.name()
                                    + "' with another level, trustStore, expectedName or clientCertificate; use the same, or one connector");
                }
            }
        }
    }
}

package dev.mailsec.tls.connector;

import dev.mailsec.config.PackPaths;
import dev.mailsec.config.XmlDocuments;
import dev.mailsec.tls.TlsProtocolVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import org.w3c.dom.Attr;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
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
    static final int MAX_BYTES = 1 << 20;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Set<String> CONNECTOR_ATTRIBUTES = Set.of("name");

    private final String source;

    private ConnectorsFile(String source) {
        this.source = source;
    }

    /**
     * Where {@code location} points, by the pack's path rule ({@link PackPaths#resolve(Path,
     * String)}) with {@code workingDirectory} as James's working directory: {@code
     * file://conf/x.xml} and {@code conf/x.xml} are relative to it, {@code file:///etc/x.xml} and
     * {@code /etc/x.xml} are absolute.
     */
    public static Path resolve(String location, Path workingDirectory) {
        return PackPaths.resolve(workingDirectory, location);
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
        checkAttributes(root, Set.of(), "<connectors>");
        List<InboundConnector> inbound = new ArrayList<>();
        List<OutboundConnector> outbound = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Element child : children(root, "<connectors>")) {
            switch (child.getTagName()) {
                case "inbound":
                    inbound.add(inbound(child, names));
                    break;
                case "outbound":
                    outbound.add(outbound(child, names));
                    break;
                default:
                    throw new InvalidConnectorsException(
                            source
                                    + ": unknown element <"
                                    + child.getTagName()
                                    + "> in <connectors>; expected <inbound> or <outbound>");
            }
        }
        checkSharedSmartHosts(outbound);
        return new Connectors(inbound, outbound);
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
                        && (connector.hasOwnTrust() || other.hasOwnTrust())
                        && !(connector.trustStore().equals(other.trustStore())
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
                                    + "' with another trustStore or expectedName; use the same, or one connector");
                }
            }
        }
    }

    private String connectorName(Element element, Set<String> names)
            throws InvalidConnectorsException {
        String name = element.getAttribute("name").trim();
        String where = source + ": <" + element.getTagName() + ">";
        if (name.isEmpty()) {
            throw new InvalidConnectorsException(where + ": name: missing");
        }
        if (!NAME.matcher(name).matches()) {
            throw new InvalidConnectorsException(
                    where
                            + ": name: expected 1 to 64 letters, digits, '.', '_' or '-', got '"
                            + name
                            + "'");
        }
        if (!names.add(name)) {
            throw new InvalidConnectorsException(
                    where + ": name: '" + name + "' is used by another connector");
        }
        checkAttributes(
                element, CONNECTOR_ATTRIBUTES, element.getTagName() + " connector '" + name + "'");
        return name;
    }

    private InboundConnector inbound(Element element, Set<String> names)
            throws InvalidConnectorsException {
        String name = connectorName(element, names);
        String where = "inbound connector '" + name + "'";
        InboundConnector.Builder builder = InboundConnector.builder(name);
        boolean covers = false;
        boolean requires = false;
        for (Element child : children(element, where)) {
            switch (child.getTagName()) {
                case "senderDomain":
                    builder.senderDomain(value(child, where, DomainPattern::parse));
                    covers = true;
                    break;
                case "clientNetwork":
                    builder.clientNetwork(value(child, where, IpRange::parse));
                    covers = true;
                    break;
                case "clientCertificate":
                    builder.clientCertificate(value(child, where, CertificateName::parse));
                    covers = true;
                    break;
                case "requires":
                    if (requires) {
                        throw new InvalidConnectorsException(
                                source + ": " + where + ": requires: given twice");
                    }
                    requires = true;
                    requirements(child, where, builder);
                    break;
                default:
                    throw new InvalidConnectorsException(
                            source
                                    + ": "
                                    + where
                                    + ": unknown element <"
                                    + child.getTagName()
                                    + ">; expected senderDomain, clientNetwork, clientCertificate or requires");
            }
        }
        if (!covers) {
            throw new InvalidConnectorsException(
                    source
                            + ": "
                            + where
                            + ": covers no mail; give at least one senderDomain, clientNetwork or clientCertificate");
        }
        return builder.build();
    }

    private void requirements(Element element, String where, InboundConnector.Builder builder)
            throws InvalidConnectorsException {
        checkAttributes(
                element,
                Set.of("tls", "minimumProtocol", "clientCertificate"),
                where + ": requires");
        Boolean tls = booleanAttribute(element, "tls", where);
        Boolean clientCertificate = booleanAttribute(element, "clientCertificate", where);
        boolean strengthGiven = element.hasAttribute("minimumProtocol");
        if (strengthGiven) {
            builder.minimumProtocol(protocol(element.getAttribute("minimumProtocol"), where));
        }
        Set<String> supported = supportedCipherSuites();
        boolean cipherGiven = false;
        boolean nameGiven = false;
        for (Element child : children(element, where + ": requires")) {
            switch (child.getTagName()) {
                case "cipherSuite":
                    String suite = text(child, where);
                    if (!supported.contains(suite)) {
                        throw new InvalidConnectorsException(
                                source
                                        + ": "
                                        + where
                                        + ": cipherSuite: not a cipher suite this JVM supports, got '"
                                        + suite
                                        + "'");
                    }
                    builder.allowCipherSuite(suite);
                    cipherGiven = true;
                    break;
                case "clientCertificateName":
                    builder.requireClientCertificateName(
                            value(child, where, CertificateName::parse));
                    nameGiven = true;
                    break;
                default:
                    throw new InvalidConnectorsException(
                            source
                                    + ": "
                                    + where
                                    + ": unknown element <"
                                    + child.getTagName()
                                    + "> in <requires>; expected cipherSuite or clientCertificateName");
            }
        }
        if (Boolean.FALSE.equals(tls)
                && (strengthGiven
                        || cipherGiven
                        || nameGiven
                        || Boolean.TRUE.equals(clientCertificate))) {
            throw new InvalidConnectorsException(
                    source
                            + ": "
                            + where
                            + ": tls: 'false' contradicts minimumProtocol, cipherSuite and client certificate requirements");
        }
        if (Boolean.FALSE.equals(clientCertificate) && nameGiven) {
            throw new InvalidConnectorsException(
                    source
                            + ": "
                            + where
                            + ": clientCertificate: 'false' contradicts clientCertificateName");
        }
        builder.requireTls(Boolean.TRUE.equals(tls));
        builder.requireClientCertificate(Boolean.TRUE.equals(clientCertificate));
    }

    private OutboundConnector outbound(Element element, Set<String> names)
            throws InvalidConnectorsException {
        String name = connectorName(element, names);
        String where = "outbound connector '" + name + "'";
        OutboundConnector.Builder builder = OutboundConnector.builder(name);
        boolean domains = false;
        boolean tls = false;
        boolean smartHosts = false;
        boolean ownTrust = false;
        OutboundTlsLevel level = null;
        for (Element child : children(element, where)) {
            switch (child.getTagName()) {
                case "recipientDomain":
                    builder.recipientDomain(value(child, where, DomainPattern::parse));
                    domains = true;
                    break;
                case "smartHost":
                    builder.smartHost(value(child, where, SmartHost::parse));
                    smartHosts = true;
                    break;
                case "tls":
                    if (tls) {
                        throw new InvalidConnectorsException(
                                source + ": " + where + ": tls: given twice");
                    }
                    tls = true;
                    checkAttributes(
                            child,
                            Set.of(
                                    "level",
                                    "minimumProtocol",
                                    "fallback",
                                    "trustStore",
                                    "trustStorePassword"),
                            where + ": tls");
                    for (Element nameElement : children(child, where + ": tls")) {
                        if (!nameElement.getTagName().equals("expectedName")) {
                            throw new InvalidConnectorsException(
                                    source
                                            + ": "
                                            + where
                                            + ": tls: unknown element <"
                                            + nameElement.getTagName()
                                            + ">; expected expectedName");
                        }
                        String expected = text(nameElement, where);
                        Optional<String> normalized = DomainPattern.normalize(expected);
                        if (normalized.isEmpty() || expected.contains("*")) {
                            throw new InvalidConnectorsException(
                                    source
                                            + ": "
                                            + where
                                            + ": expectedName: expected a host name, got '"
                                            + expected
                                            + "'");
                        }
                        builder.expectedName(normalized.get());
                        ownTrust = true;
                    }
                    if (child.hasAttribute("trustStore")) {
                        String store = child.getAttribute("trustStore").trim();
                        if (store.isEmpty()) {
                            throw new InvalidConnectorsException(
                                    source + ": " + where + ": trustStore: empty");
                        }
                        builder.trustStore(
                                store,
                                child.hasAttribute("trustStorePassword")
                                        ? Optional.of(child.getAttribute("trustStorePassword"))
                                        : Optional.empty());
                        ownTrust = true;
                    } else if (child.hasAttribute("trustStorePassword")) {
                        throw new InvalidConnectorsException(
                                source
                                        + ": "
                                        + where
                                        + ": trustStorePassword: given without trustStore");
                    }
                    if (!child.hasAttribute("level")) {
                        throw new InvalidConnectorsException(
                                source
                                        + ": "
                                        + where
                                        + ": level: missing; expected opportunistic, required, verify or mta-sts");
                    }
                    level = attribute(child, "level", where, OutboundTlsLevel::parse);
                    builder.tlsLevel(level);
                    if (child.hasAttribute("fallback")) {
                        if (level != OutboundTlsLevel.MTA_STS) {
                            throw new InvalidConnectorsException(
                                    source
                                            + ": "
                                            + where
                                            + ": fallback: only for level=\"mta-sts\", got level '"
                                            + level
                                            + "'");
                        }
                        OutboundTlsLevel fallback =
                                attribute(child, "fallback", where, OutboundTlsLevel::parse);
                        if (fallback == OutboundTlsLevel.MTA_STS) {
                            throw new InvalidConnectorsException(
                                    source
                                            + ": "
                                            + where
                                            + ": fallback: expected opportunistic, required or verify, got 'mta-sts'");
                        }
                        builder.fallbackLevel(fallback);
                    }
                    if (child.hasAttribute("minimumProtocol")) {
                        builder.minimumProtocol(
                                protocol(child.getAttribute("minimumProtocol"), where));
                    }
                    break;
                default:
                    throw new InvalidConnectorsException(
                            source
                                    + ": "
                                    + where
                                    + ": unknown element <"
                                    + child.getTagName()
                                    + ">; expected recipientDomain, smartHost or tls");
            }
        }
        if (!domains) {
            throw new InvalidConnectorsException(
                    source + ": " + where + ": recipientDomain: give at least one");
        }
        if (!tls) {
            throw new InvalidConnectorsException(
                    source
                            + ": "
                            + where
                            + ": tls: missing; say <tls level=\"opportunistic|required|verify|mta-sts\"/>");
        }
        if (ownTrust && level != OutboundTlsLevel.VERIFY) {
            throw new InvalidConnectorsException(
                    source
                            + ": "
                            + where
                            + ": trustStore, expectedName: only for level "
                            + "'verify', got '"
                            + level
                            + "'");
        }
        if (level == OutboundTlsLevel.MTA_STS && smartHosts) {
            throw new InvalidConnectorsException(
                    source
                            + ": "
                            + where
                            + ": smartHost: level 'mta-sts' delivers to the recipient domain's MX hosts (RFC 8461); "
                            + "remove the smartHost or use level verify");
        }
        return builder.build();
    }

    private TlsProtocolVersion protocol(String value, String where)
            throws InvalidConnectorsException {
        try {
            return TlsProtocolVersion.parse(value);
        } catch (IllegalArgumentException e) {
            throw new InvalidConnectorsException(
                    source + ": " + where + ": minimumProtocol: " + e.getMessage(), e);
        }
    }

    private Boolean booleanAttribute(Element element, String attribute, String where)
            throws InvalidConnectorsException {
        if (!element.hasAttribute(attribute)) {
            return null;
        }
        String value = element.getAttribute(attribute).trim().toLowerCase(Locale.ROOT);
        if (value.equals("true")) {
            return Boolean.TRUE;
        }
        if (value.equals("false")) {
            return Boolean.FALSE;
        }
        throw new InvalidConnectorsException(
                source
                        + ": "
                        + where
                        + ": "
                        + attribute
                        + ": expected true or false, got '"
                        + element.getAttribute(attribute)
                        + "'");
    }

    private <T> T attribute(
            Element element, String attribute, String where, Function<String, T> parser)
            throws InvalidConnectorsException {
        try {
            return parser.apply(element.getAttribute(attribute));
        } catch (IllegalArgumentException e) {
            throw new InvalidConnectorsException(
                    source + ": " + where + ": " + attribute + ": " + e.getMessage(), e);
        }
    }

    private <T> T value(Element element, String where, Function<String, T> parser)
            throws InvalidConnectorsException {
        String text = text(element, where);
        try {
            return parser.apply(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidConnectorsException(
                    source + ": " + where + ": " + element.getTagName() + ": " + e.getMessage(), e);
        }
    }

    private String text(Element element, String where) throws InvalidConnectorsException {
        checkAttributes(element, Set.of(), where + ": " + element.getTagName());
        if (!children(element, where).isEmpty()) {
            throw new InvalidConnectorsException(
                    source
                            + ": "
                            + where
                            + ": "
                            + element.getTagName()
                            + ": expected text, got element <"
                            + children(element, where).get(0).getTagName()
                            + ">");
        }
        String text = element.getTextContent().trim();
        if (text.isEmpty()) {
            throw new InvalidConnectorsException(
                    source + ": " + where + ": " + element.getTagName() + ": empty");
        }
        return text;
    }

    private void checkAttributes(Element element, Set<String> allowed, String where)
            throws InvalidConnectorsException {
        NamedNodeMap attributes = element.getAttributes();
        for (int i = 0; i < attributes.getLength(); i++) {
            String attribute = ((Attr) attributes.item(i)).getName();
            if (!allowed.contains(attribute)) {
                throw new InvalidConnectorsException(
                        source
                                + ": "
                                + where
                                + ": unknown attribute '"
                                + attribute
                                + "'"
                                + (allowed.isEmpty()
                                        ? ""
                                        : "; expected "
                                                + String.join(
                                                        ", ", new java.util.TreeSet<>(allowed))));
            }
        }
    }

    /** Child elements; stray text between elements is refused. */
    private List<Element> children(Element parent, String where) throws InvalidConnectorsException {
        List<Element> elements = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            Node node = nodes.item(i);
            if (node.getNodeType() == Node.ELEMENT_NODE) {
                elements.add((Element) node);
            }
        }
        if (!elements.isEmpty()) {
            for (int i = 0; i < nodes.getLength(); i++) {
                Node node = nodes.item(i);
                if ((node.getNodeType() == Node.TEXT_NODE
                                || node.getNodeType() == Node.CDATA_SECTION_NODE)
                        && !node.getNodeValue().trim().isEmpty()) {
                    throw new InvalidConnectorsException(
                            source
                                    + ": "
                                    + where
                                    + ": unexpected text '"
                                    + node.getNodeValue().trim()
                                    + "' in <"
                                    + parent.getTagName()
                                    + ">");
                }
            }
        }
        return elements;
    }

    private static Set<String> supportedCipherSuites() {
        try {
            return new LinkedHashSet<>(
                    Arrays.asList(
                            SSLContext.getDefault().getSupportedSSLParameters().getCipherSuites()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no default TLS context", e);
        }
    }
}

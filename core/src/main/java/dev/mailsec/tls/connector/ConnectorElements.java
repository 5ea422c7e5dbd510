package dev.mailsec.tls.connector;

import dev.mailsec.tls.TlsProtocolVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.w3c.dom.Attr;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Reads the values of one connectors file's elements and attributes strictly (unknown attributes,
 * stray text, empty values and bad values refused), each mistake an {@link
 * InvalidConnectorsException} that starts with the file's name; shared by {@link ConnectorsFile},
 * {@link InboundConnectorReader} and {@link OutboundConnectorReader}.
 */
final class ConnectorElements {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Set<String> CONNECTOR_ATTRIBUTES = Set.of("name");

    private final String source;

    ConnectorElements(String source) {
        this.source = source;
    }

    /** The file's name, as error messages start with it. */
    String source() {
        return source;
    }

    /**
     * The {@code name} attribute of a connector element, checked and added to {@code names}
     * (refused when already there).
     */
    String connectorName(Element element, Set<String> names) throws InvalidConnectorsException {
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

    TlsProtocolVersion protocol(String value, String where) throws InvalidConnectorsException {
        try {
            return TlsProtocolVersion.parse(value);
        } catch (IllegalArgumentException e) {
            throw new InvalidConnectorsException(
                    source + ": " + where + ": minimumProtocol: " + e.getMessage(), e);
        }
    }

    Boolean booleanAttribute(Element element, String attribute, String where)
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

    <T> T attribute(Element element, String attribute, String where, Function<String, T> parser)
            throws InvalidConnectorsException {
        try {
            return parser.apply(element.getAttribute(attribute));
        } catch (IllegalArgumentException e) {
            throw new InvalidConnectorsException(
                    source + ": " + where + ": " + attribute + ": " + e.getMessage(), e);
        }
    }

    <T> T value(Element element, String where, Function<String, T> parser)
            throws InvalidConnectorsException {
        String text = text(element, where);
        try {
            return parser.apply(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidConnectorsException(
                    source + ": " + where + ": " + element.getTagName() + ": " + e.getMessage(), e);
        }
    }

    String text(Element element, String where) throws InvalidConnectorsException {
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

    void checkAttributes(Element element, Set<String> allowed, String where)
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
                                                + String.join(", ", new TreeSet<>(allowed))));
            }
        }
    }

    /** Child elements; stray text between elements is refused. */
    List<Element> children(Element parent, String where) throws InvalidConnectorsException {
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
}

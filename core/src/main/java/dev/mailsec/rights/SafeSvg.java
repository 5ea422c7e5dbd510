package dev.mailsec.rights;

import dev.mailsec.config.XmlDocuments;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Set;
import org.w3c.dom.Document;
import org.w3c.dom.DocumentType;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/**
 * Decides whether an SVG logo is safe to serve: we refuse rather than rewrite, so what the operator
 * configured is exactly what readers get. Allowed: the drawing elements of a logo (shapes, paths,
 * text, groups, gradients, clip paths, masks, {@code use} of a local {@code #id}); refused: any
 * other element ({@code script}, {@code foreignObject}, {@code style}, {@code image}, {@code a},
 * animation, editor metadata), event-handler attributes ({@code on...}), a reference or {@code
 * url(...)} to anything but a local {@code #id}, {@code javascript:}, processing instructions, an
 * internal DTD subset or entity. The portal also serves the logo under a CSP with no script and
 * shows it through {@code <img>} (where SVG never runs script): this check is the first line.
 * Stateless.
 */
final class SafeSvg {

    private static final Set<String> ELEMENTS =
            Set.of(
                    "svg",
                    "g",
                    "path",
                    "rect",
                    "circle",
                    "ellipse",
                    "line",
                    "polyline",
                    "polygon",
                    "text",
                    "tspan",
                    "defs",
                    "lineargradient",
                    "radialgradient",
                    "stop",
                    "title",
                    "desc",
                    "clippath",
                    "mask",
                    "symbol",
                    "use");

    private SafeSvg() {}

    /**
     * @throws IllegalArgumentException naming {@code what} and the first thing refused
     */
    static void check(byte[] svg, String what) {
        Document doc;
        try {
            // a DOCTYPE is allowed (editors write one) but never loaded; an internal subset is
            // refused below
            doc = XmlDocuments.parse(svg, true);
        } catch (SAXException | IOException e) {
            throw new IllegalArgumentException(
                    what + ": the SVG logo is not well-formed XML: " + e.getMessage(), e);
        }
        DocumentType type = doc.getDoctype();
        if (type != null
                && (type.getInternalSubset() != null && !type.getInternalSubset().isBlank())) {
            throw new IllegalArgumentException(
                    what + ": the SVG logo declares a DTD subset; remove its DOCTYPE");
        }
        Element root = doc.getDocumentElement();
        if (!"svg".equals(local(root.getTagName()))) {
            throw new IllegalArgumentException(
                    what
                            + ": the SVG logo's root element must be <svg>, got <"
                            + root.getTagName()
                            + ">");
        }
        Deque<Node> todo = new ArrayDeque<>();
        for (Node n = doc.getFirstChild(); n != null; n = n.getNextSibling()) {
            todo.push(n);
        }
        while (!todo.isEmpty()) {
            Node n = todo.pop();
            switch (n.getNodeType()) {
                case Node.ELEMENT_NODE:
                    element((Element) n, what);
                    break;
                case Node.PROCESSING_INSTRUCTION_NODE:
                    throw new IllegalArgumentException(
                            what
                                    + ": the SVG logo has a processing instruction <?"
                                    + n.getNodeName()
                                    + "?>");
                case Node.ENTITY_REFERENCE_NODE:
                    throw new IllegalArgumentException(
                            what + ": the SVG logo uses an entity &" + n.getNodeName() + ";");
                default:
                    break; // text, CDATA text, comments, the DOCTYPE without subset
            }
            for (Node c = n.getFirstChild(); c != null; c = c.getNextSibling()) {
                todo.push(c);
            }
        }
    }

    private static void element(Element e, String what) {
        String name = e.getTagName();
        if (!ELEMENTS.contains(local(name).toLowerCase(Locale.ROOT))
                || name.contains(":") && !name.startsWith("svg:")) {
            throw new IllegalArgumentException(
                    what
                            + ": the SVG logo may not contain <"
                            + name
                            + "> (allowed: svg, g, path,"
                            + " rect, circle, ellipse, line, polyline, polygon, text, tspan, defs,"
                            + " linearGradient, radialGradient, stop, title, desc, clipPath, mask,"
                            + " symbol, use)");
        }
        NamedNodeMap attrs = e.getAttributes();
        for (int i = 0; i < attrs.getLength(); i++) {
            String attr = attrs.item(i).getNodeName();
            String lower = attr.toLowerCase(Locale.ROOT);
            String value = attrs.item(i).getNodeValue();
            String compact = value.replaceAll("[\\s\\u0000-\\u001f]", "").toLowerCase(Locale.ROOT);
            if (local(lower).startsWith("on")) {
                throw new IllegalArgumentException(
                        what
                                + ": the SVG logo has an event handler "
                                + attr
                                + " on <"
                                + name
                                + ">");
            }
            if (local(lower).equals("href") && !compact.startsWith("#")) {
                throw new IllegalArgumentException(
                        what
                                + ": the SVG logo refers to '"
                                + value
                                + "' in "
                                + attr
                                + " on <"
                                + name
                                + "> (only #id is allowed)");
            }
            if (lower.startsWith("xmlns")) {
                continue; // namespace declarations name, they do not load
            }
            if (compact.contains("javascript:")
                    || compact.contains("@import")
                    || compact.contains("expression(")
                    || compact.replace("url(#", "")
                            .replace("url('#", "")
                            .replace("url(\"#", "")
                            .contains("url(")) {
                throw new IllegalArgumentException(
                        what
                                + ": the SVG logo's "
                                + attr
                                + " on <"
                                + name
                                + "> refers outside the image: '"
                                + value
                                + "'");
            }
        }
    }

    private static String local(String name) {
        int colon = name.indexOf(':');
        return colon < 0 ? name : name.substring(colon + 1);
    }
}

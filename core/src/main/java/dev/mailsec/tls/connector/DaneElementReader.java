package dev.mailsec.tls.connector;

import dev.mailsec.tls.connector.dane.DaneResolverSettings;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.Set;
import org.w3c.dom.Element;

/**
 * Reads the connectors file's {@code <dane>} element: where DANE's DNSSEC answers come from.
 *
 * <pre>{@code
 * <dane validation="resolver" resolver="127.0.0.1:53"/>
 * <dane validation="dnsjava" resolver="127.0.0.1:53" trustAnchors="conf/dnssec-root.ds"/>
 * }</pre>
 */
final class DaneElementReader {

    private static final int DNS_PORT = 53;
    private final ConnectorElements xml;

    DaneElementReader(ConnectorElements xml) {
        this.xml = xml;
    }

    DaneResolverSettings read(Element element) throws InvalidConnectorsException {
        String where = "dane";
        xml.checkAttributes(
                element, Set.of("validation", "resolver", "trusted", "trustAnchors"), where);
        if (!xml.children(element, where).isEmpty()) {
            throw invalid("no child elements expected");
        }
        String mode = element.getAttribute("validation").trim();
        DaneResolverSettings.Validation validation;
        if (mode.isEmpty() || mode.equals("resolver")) {
            validation = DaneResolverSettings.Validation.RESOLVER;
        } else if (mode.equals("dnsjava")) {
            validation = DaneResolverSettings.Validation.DNSJAVA;
        } else {
            throw invalid("validation: expected resolver or dnsjava, got '" + mode + "'");
        }
        if (!element.hasAttribute("resolver")) {
            throw invalid("resolver: missing; the address of a DNS resolver, e.g. 127.0.0.1:53");
        }
        InetSocketAddress resolver = address(element.getAttribute("resolver"));
        boolean trusted = Boolean.TRUE.equals(xml.booleanAttribute(element, "trusted", where));
        Optional<String> anchors = Optional.empty();
        if (validation == DaneResolverSettings.Validation.DNSJAVA) {
            String file = element.getAttribute("trustAnchors").trim();
            if (file.isEmpty()) {
                throw invalid(
                        "trustAnchors: required with validation=\"dnsjava\" (a file of DS or "
                                + "DNSKEY records, e.g. the root's)");
            }
            if (element.hasAttribute("trusted")) {
                throw invalid("trusted: only for validation=\"resolver\"");
            }
            anchors = Optional.of(file);
        } else {
            if (element.hasAttribute("trustAnchors")) {
                throw invalid(
                        "trustAnchors: only for validation=\"dnsjava\" (the resolver has its own)");
            }
            if (!resolver.getAddress().isLoopbackAddress() && !trusted) {
                throw invalid(
                        "resolver: "
                                + element.getAttribute("resolver").trim()
                                + " is not a loopback address, so its AD bit could be forged on "
                                + "the way; run the validating resolver on this host, or say "
                                + "trusted=\"true\" if the path to it is protected");
            }
        }
        return new DaneResolverSettings(validation, resolver, trusted, anchors);
    }

    /** {@code 127.0.0.1}, {@code 127.0.0.1:5353}, {@code [::1]} or {@code [::1]:53}. */
    private InetSocketAddress address(String text) throws InvalidConnectorsException {
        String literal = text.trim();
        boolean withPort = literal.startsWith("[") ? literal.contains("]:") : literal.contains(":");
        SmartHost host;
        try {
            host = SmartHost.parse(withPort ? literal : literal + ":" + DNS_PORT);
        } catch (IllegalArgumentException e) {
            throw invalid(
                    "resolver: expected an IP address and optional port, got '" + literal + "'");
        }
        if (IpRange.literal(host.host()) == null) {
            throw invalid("resolver: expected an IP address (not a name), got '" + literal + "'");
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host.host()), host.port());
        } catch (UnknownHostException e) {
            throw invalid("resolver: expected an IP address, got '" + literal + "'");
        }
    }

    private InvalidConnectorsException invalid(String message) {
        return new InvalidConnectorsException(xml.source() + ": dane: " + message);
    }
}

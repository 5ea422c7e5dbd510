package dev.mailsec.tls.connector;

import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import javax.net.ssl.SSLContext;
import org.w3c.dom.Element;

/**
 * Turns one {@code <inbound>} element of a connectors file into an {@link InboundConnector}: what
 * mail it covers and what it requires of the session.
 */
final class InboundConnectorReader {

    private final ConnectorElements xml;

    InboundConnectorReader(ConnectorElements xml) {
        this.xml = xml;
    }

    /** The connector {@code element} describes; its name is added to {@code names}. */
    InboundConnector read(Element element, Set<String> names) throws InvalidConnectorsException {
        String name = xml.connectorName(element, names);
        String where = "inbound connector '" + name + "'";
        InboundConnector.Builder builder = InboundConnector.builder(name);
        boolean covers = false;
        boolean requires = false;
        for (Element child : xml.children(element, where)) {
            switch (child.getTagName()) {
                case "senderDomain":
                    builder.senderDomain(xml.value(child, where, DomainPattern::parse));
                    covers = true;
                    break;
                case "clientNetwork":
                    builder.clientNetwork(xml.value(child, where, IpRange::parse));
                    covers = true;
                    break;
                case "clientCertificate":
                    builder.clientCertificate(xml.value(child, where, CertificateName::parse));
                    covers = true;
                    break;
                case "requires":
                    if (requires) {
                        throw new InvalidConnectorsException(
                                xml.source() + ": " + where + ": requires: given twice");
                    }
                    requires = true;
                    requirements(child, where, builder);
                    break;
                default:
                    throw new InvalidConnectorsException(
                            xml.source()
                                    + ": "
                                    + where
                                    + ": unknown element <"
                                    + child.getTagName()
                                    + ">; expected senderDomain, clientNetwork, clientCertificate or requires");
            }
        }
        if (!covers) {
            throw new InvalidConnectorsException(
                    xml.source()
                            + ": "
                            + where
                            + ": covers no mail; give at least one senderDomain, clientNetwork or clientCertificate");
        }
        return builder.build();
    }

    private void requirements(Element element, String where, InboundConnector.Builder builder)
            throws InvalidConnectorsException {
        xml.checkAttributes(
                element,
                Set.of("tls", "minimumProtocol", "clientCertificate"),
                where + ": requires");
        Boolean tls = xml.booleanAttribute(element, "tls", where);
        Boolean clientCertificate = xml.booleanAttribute(element, "clientCertificate", where);
        boolean strengthGiven = element.hasAttribute("minimumProtocol");
        if (strengthGiven) {
            builder.minimumProtocol(xml.protocol(element.getAttribute("minimumProtocol"), where));
        }
        Set<String> supported = supportedCipherSuites();
        boolean cipherGiven = false;
        boolean nameGiven = false;
        for (Element child : xml.children(element, where + ": requires")) {
            switch (child.getTagName()) {
                case "cipherSuite":
                    String suite = xml.text(child, where);
                    if (!supported.contains(suite)) {
                        throw new InvalidConnectorsException(
                                xml.source()
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
                            xml.value(child, where, CertificateName::parse));
                    nameGiven = true;
                    break;
                default:
                    throw new InvalidConnectorsException(
                            xml.source()
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
                    xml.source()
                            + ": "
                            + where
                            + ": tls: 'false' contradicts minimumProtocol, cipherSuite and client certificate requirements");
        }
        if (Boolean.FALSE.equals(clientCertificate) && nameGiven) {
            throw new InvalidConnectorsException(
                    xml.source()
                            + ": "
                            + where
                            + ": clientCertificate: 'false' contradicts clientCertificateName");
        }
        builder.requireTls(Boolean.TRUE.equals(tls));
        builder.requireClientCertificate(Boolean.TRUE.equals(clientCertificate));
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

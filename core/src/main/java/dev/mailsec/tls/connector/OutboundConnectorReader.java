package dev.mailsec.tls.connector;

import dev.mailsec.config.ConfigException;
import dev.mailsec.config.Parameters;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.w3c.dom.Element;

/**
 * Turns one {@code <outbound>} element of a connectors file into an {@link OutboundConnector}: the
 * recipient domains it covers, its smart hosts and its TLS level and trust.
 */
final class OutboundConnectorReader {

    private final ConnectorElements xml;

    OutboundConnectorReader(ConnectorElements xml) {
        this.xml = xml;
    }

    private boolean clientCertificate;

    /**
     * {@code clientCertificate="dkm:SECRET"} and {@code clientCertificateRefresh} (a duration,
     * seconds or ISO-8601, 1 s to 1 day, default 5 minutes) of a {@code <tls>} element.
     */
    private void clientCertificate(Element tls, String where, OutboundConnector.Builder builder)
            throws InvalidConnectorsException {
        if (!tls.hasAttribute("clientCertificate")) {
            if (tls.hasAttribute("clientCertificateRefresh")) {
                throw new InvalidConnectorsException(
                        xml.source()
                                + ": "
                                + where
                                + ": clientCertificateRefresh: given without clientCertificate");
            }
            return;
        }
        String value = tls.getAttribute("clientCertificate").trim();
        String secret =
                value.startsWith(DkmClientKeys.SCHEME)
                        ? value.substring(DkmClientKeys.SCHEME.length())
                        : "";
        if (!SECRET_NAME.matcher(secret).matches()) {
            throw new InvalidConnectorsException(
                    xml.source()
                            + ": "
                            + where
                            + ": clientCertificate: expected dkm:SECRET (a KEY_PAIR secret in DKM, "
                            + "e.g. dkm:tls/partner-bank), got '"
                            + value
                            + "'");
        }
        Duration refresh;
        try {
            refresh =
                    Parameters.of(
                                    where,
                                    name -> tls.hasAttribute(name) ? tls.getAttribute(name) : null)
                            .duration(
                                    "clientCertificateRefresh",
                                    ChronoUnit.SECONDS,
                                    OutboundConnector.DEFAULT_CLIENT_CERTIFICATE_REFRESH,
                                    Duration.ofSeconds(1),
                                    Duration.ofDays(1));
        } catch (ConfigException e) {
            throw new InvalidConnectorsException(xml.source() + ": " + e.getMessage(), e);
        }
        builder.clientCertificate(secret, refresh);
        clientCertificate = true;
    }

    private static final Pattern SECRET_NAME =
            Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@/+-]{0,254}");

    /**
     * {@code fallback} (levels {@code mta-sts} and {@code dane}) and {@code mtaStsFallback} (level
     * {@code dane} with {@code fallback="mta-sts"}: the level for domains without an MTA-STS {@code
     * enforce} policy).
     */
    private void fallback(
            Element tls, OutboundTlsLevel level, String where, OutboundConnector.Builder builder)
            throws InvalidConnectorsException {
        boolean dane = level == OutboundTlsLevel.DANE;
        if (tls.hasAttribute("fallback")) {
            if (level != OutboundTlsLevel.MTA_STS && !dane) {
                throw new InvalidConnectorsException(
                        xml.source()
                                + ": "
                                + where
                                + ": fallback: only for level=\"mta-sts\" or \"dane\", got level '"
                                + level
                                + "'");
            }
            OutboundTlsLevel fallback =
                    xml.attribute(tls, "fallback", where, OutboundTlsLevel::parse);
            if (fallback == OutboundTlsLevel.DANE
                    || (!dane && fallback == OutboundTlsLevel.MTA_STS)) {
                throw new InvalidConnectorsException(
                        xml.source()
                                + ": "
                                + where
                                + ": fallback: expected opportunistic, required"
                                + (dane ? ", verify or mta-sts" : " or verify")
                                + ", got '"
                                + fallback
                                + "'");
            }
            builder.fallbackLevel(fallback);
        }
        if (tls.hasAttribute("mtaStsFallback")) {
            if (!dane || !"mta-sts".equals(tls.getAttribute("fallback").trim())) {
                throw new InvalidConnectorsException(
                        xml.source()
                                + ": "
                                + where
                                + ": mtaStsFallback: only for level=\"dane\" fallback=\"mta-sts\"");
            }
            OutboundTlsLevel mtaStsFallback =
                    xml.attribute(tls, "mtaStsFallback", where, OutboundTlsLevel::parse);
            if (mtaStsFallback == OutboundTlsLevel.DANE
                    || mtaStsFallback == OutboundTlsLevel.MTA_STS) {
                throw new InvalidConnectorsException(
                        xml.source()
                                + ": "
                                + where
                                + ": mtaStsFallback: expected opportunistic, required or verify, got '"
                                + mtaStsFallback
                                + "'");
            }
            builder.mtaStsFallbackLevel(mtaStsFallback);
        }
    }

    /** The connector {@code element} describes; its name is added to {@code names}. */
    OutboundConnector read(Element element, Set<String> names) throws InvalidConnectorsException {
        String name = xml.connectorName(element, names);
        String where = "outbound connector '" + name + "'";
        OutboundConnector.Builder builder = OutboundConnector.builder(name);
        boolean domains = false;
        boolean tls = false;
        boolean smartHosts = false;
        boolean ownTrust = false;
        OutboundTlsLevel level = null;
        clientCertificate = false;
        for (Element child : xml.children(element, where)) {
            switch (child.getTagName()) {
                case "recipientDomain":
                    builder.recipientDomain(xml.value(child, where, DomainPattern::parse));
                    domains = true;
                    break;
                case "smartHost":
                    builder.smartHost(xml.value(child, where, SmartHost::parse));
                    smartHosts = true;
                    break;
                case "tls":
                    if (tls) {
                        throw new InvalidConnectorsException(
                                xml.source() + ": " + where + ": tls: given twice");
                    }
                    tls = true;
                    xml.checkAttributes(
                            child,
                            Set.of(
                                    "level",
                                    "minimumProtocol",
                                    "fallback",
                                    "mtaStsFallback",
                                    "trustStore",
                                    "trustStorePassword",
                                    "clientCertificate",
                                    "clientCertificateRefresh"),
                            where + ": tls");
                    for (Element nameElement : xml.children(child, where + ": tls")) {
                        if (!nameElement.getTagName().equals("expectedName")) {
                            throw new InvalidConnectorsException(
                                    xml.source()
                                            + ": "
                                            + where
                                            + ": tls: unknown element <"
                                            + nameElement.getTagName()
                                            + ">; expected expectedName");
                        }
                        String expected = xml.text(nameElement, where);
                        Optional<String> normalized = DomainPattern.normalize(expected);
                        if (normalized.isEmpty() || expected.contains("*")) {
                            throw new InvalidConnectorsException(
                                    xml.source()
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
                                    xml.source() + ": " + where + ": trustStore: empty");
                        }
                        builder.trustStore(
                                store,
                                child.hasAttribute("trustStorePassword")
                                        ? Optional.of(child.getAttribute("trustStorePassword"))
                                        : Optional.empty());
                        ownTrust = true;
                    } else if (child.hasAttribute("trustStorePassword")) {
                        throw new InvalidConnectorsException(
                                xml.source()
                                        + ": "
                                        + where
                                        + ": trustStorePassword: given without trustStore");
                    }
                    if (!child.hasAttribute("level")) {
                        throw new InvalidConnectorsException(
                                xml.source()
                                        + ": "
                                        + where
                                        + ": level: missing; expected opportunistic, required, verify, mta-sts or dane");
                    }
                    level = xml.attribute(child, "level", where, OutboundTlsLevel::parse);
                    builder.tlsLevel(level);
                    fallback(child, level, where, builder);
                    clientCertificate(child, where, builder);
                    if (child.hasAttribute("minimumProtocol")) {
                        builder.minimumProtocol(
                                xml.protocol(child.getAttribute("minimumProtocol"), where));
                    }
                    break;
                default:
                    throw new InvalidConnectorsException(
                            xml.source()
                                    + ": "
                                    + where
                                    + ": unknown element <"
                                    + child.getTagName()
                                    + ">; expected recipientDomain, smartHost or tls");
            }
        }
        if (!domains) {
            throw new InvalidConnectorsException(
                    xml.source() + ": " + where + ": recipientDomain: give at least one");
        }
        if (!tls) {
            throw new InvalidConnectorsException(
                    xml.source()
                            + ": "
                            + where
                            + ": tls: missing; say <tls level=\"opportunistic|required|verify|mta-sts|dane\"/>");
        }
        if (ownTrust && level != OutboundTlsLevel.VERIFY) {
            throw new InvalidConnectorsException(
                    xml.source()
                            + ": "
                            + where
                            + ": trustStore, expectedName: only for level "
                            + "'verify', got '"
                            + level
                            + "'");
        }
        if (clientCertificate
                && level != OutboundTlsLevel.VERIFY
                && level != OutboundTlsLevel.REQUIRED
                && level != OutboundTlsLevel.DANE) {
            throw new InvalidConnectorsException(
                    xml.source()
                            + ": "
                            + where
                            + ": clientCertificate: only for level 'required', 'verify' or 'dane' "
                            + "(never sent in clear), got '"
                            + level
                            + "'");
        }
        if ((level == OutboundTlsLevel.MTA_STS || level == OutboundTlsLevel.DANE) && smartHosts) {
            throw new InvalidConnectorsException(
                    xml.source()
                            + ": "
                            + where
                            + ": smartHost: level '"
                            + level
                            + "' delivers to the recipient domain's MX hosts ("
                            + (level == OutboundTlsLevel.DANE ? "RFC 7672" : "RFC 8461")
                            + "); remove the smartHost or use level verify");
        }
        return builder.build();
    }
}

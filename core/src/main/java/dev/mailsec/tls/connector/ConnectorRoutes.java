package dev.mailsec.tls.connector;

import dev.mailsec.config.PackPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Checks that every policy a connectors file declares is enforced by James's configuration, so that
 * a connector an operator adds is never silently ignored: each outbound connector needs a route in
 * {@code mailetcontainer.xml} (a {@code RecipientConnectorIs=NAME} step for this connectors file,
 * or the generic route: a {@code RecipientConnectorIs=*} step and a {@code
 * ConnectorsRemoteDelivery} mailet reading this file, which serve every connector but {@code
 * mta-sts} and {@code dane} ones), and an inbound connector with {@code <requires>} needs the
 * {@code EnforceInboundConnectors} hook, reading this file, in every enabled {@code <smtpserver>}
 * of {@code smtpserver.xml}. Knows no James classes, so the pack's mailets and hooks call it at
 * start and an offline {@code mailsec check} can call it too.
 *
 * <p>Paths inside James's files ({@code file://conf/connectors.xml}, relative paths) are resolved
 * against James's working directory, the folder holding {@code conf/}, by the pack's path rule
 * ({@link PackPaths#resolve(java.nio.file.Path, String)}).
 */
public final class ConnectorRoutes {

    /** The matcher naming an outbound connector's route; James needs its full class name. */
    static final String ROUTE_MATCHER = "RecipientConnectorIs=";

    /** The condition of the generic route: recipients covered by any outbound connector. */
    static final String ANY = "*";

    /** The mailet delivering each recipient with its outbound connector's policy. */
    static final String GENERIC_DELIVERY = "dev.mailsec.mailets.connector.ConnectorsRemoteDelivery";

    /** The SMTP hook enforcing inbound connectors. */
    static final String INBOUND_HOOK = "dev.mailsec.smtp.connector.EnforceInboundConnectors";

    private ConnectorRoutes() {}

    /**
     * Fails, naming every connector whose policy James would not enforce and what is missing,
     * unless each outbound connector has a route and, when an inbound connector has requirements,
     * every SMTP server has the hook. A missing {@code mailetcontainer.xml} or {@code
     * smtpserver.xml} is a failure too: the policy could not be shown to apply.
     *
     * @param connectors the connectors read from {@code connectorsFile}
     * @param connectorsFile the file they were read from
     * @param jamesWorkingDirectory James's working directory (holding {@code conf/})
     */
    public static void requireEnforced(
            Connectors connectors, Path connectorsFile, Path jamesWorkingDirectory)
            throws InvalidConnectorsException {
        List<String> problems = problems(connectors, connectorsFile, jamesWorkingDirectory);
        if (!problems.isEmpty()) {
            throw new InvalidConnectorsException(String.join("; ", problems));
        }
    }

    /**
     * Each connector whose declared policy James's configuration would not enforce, in words; empty
     * if none.
     */
    public static List<String> problems(
            Connectors connectors, Path connectorsFile, Path jamesWorkingDirectory) {
        List<String> problems = new ArrayList<>();
        Path conf = jamesWorkingDirectory.resolve("conf");
        Path file = normalize(connectorsFile);
        if (!connectors.outbound().isEmpty()) {
            Path mailetContainer = conf.resolve("mailetcontainer.xml");
            try {
                Document pipeline = read(mailetContainer);
                Set<String> routed = routedConnectors(pipeline, file, jamesWorkingDirectory);
                boolean generic =
                        routed.contains(ANY)
                                && hasGenericDelivery(pipeline, file, jamesWorkingDirectory);
                for (OutboundConnector connector : connectors.outbound()) {
                    // the generic route serves every level but mta-sts and dane, which need their
                    // generated processors
                    boolean served = generic && !needsOwnRoute(connector);
                    if (!served && !routed.contains(connector.name())) {
                        problems.add(
                                "outbound connector '"
                                        + connector.name()
                                        + "' of "
                                        + connectorsFile
                                        + " has no route in "
                                        + mailetContainer
                                        + ", so its mail would leave by the general "
                                        + "RemoteDelivery without its TLS policy: add the RecipientConnectorIs="
                                        + connector.name()
                                        + " step and the connector-"
                                        + connector.name()
                                        + " processor that ./mailsec tls remote-delivery prints"
                                        + (needsOwnRoute(connector)
                                                ? ""
                                                : ", or the generic route "
                                                        + "(RecipientConnectorIs=* to a processor holding "
                                                        + GENERIC_DELIVERY
                                                        + ")"));
                    }
                }
            } catch (InvalidConnectorsException e) {
                List<String> names = new ArrayList<>();
                connectors.outbound().forEach(connector -> names.add(connector.name()));
                problems.add(
                        "outbound connector(s) "
                                + quoted(names)
                                + " of "
                                + connectorsFile
                                + " cannot be shown to be routed: "
                                + e.getMessage());
            }
        }
        List<String> enforcedInbound = new ArrayList<>();
        for (InboundConnector connector : connectors.inbound()) {
            if (hasRequirements(connector)) {
                enforcedInbound.add(connector.name());
            }
        }
        if (!enforcedInbound.isEmpty()) {
            Path smtpServer = conf.resolve("smtpserver.xml");
            try {
                for (String server :
                        serversWithoutHook(read(smtpServer), file, jamesWorkingDirectory)) {
                    problems.add(
                            "inbound connector(s) "
                                    + quoted(enforcedInbound)
                                    + " of "
                                    + connectorsFile
                                    + " require TLS, but SMTP server "
                                    + server
                                    + " in "
                                    + smtpServer
                                    + " has no "
                                    + INBOUND_HOOK
                                    + " handler reading that file, so it would accept their mail in clear");
                }
            } catch (InvalidConnectorsException e) {
                problems.add(
                        "inbound connector(s) "
                                + quoted(enforcedInbound)
                                + " of "
                                + connectorsFile
                                + " cannot be shown to be enforced: "
                                + e.getMessage());
            }
        }
        return problems;
    }

    /**
     * True for the levels the generic route does not serve: {@code mta-sts} and {@code dane} decide
     * per recipient domain between processors of their own.
     */
    public static boolean needsOwnRoute(OutboundConnector connector) {
        return connector.tlsLevel() == OutboundTlsLevel.MTA_STS
                || connector.tlsLevel() == OutboundTlsLevel.DANE;
    }

    private static boolean hasRequirements(InboundConnector connector) {
        return connector.tlsRequired()
                || connector.minimumProtocol().isPresent()
                || !connector.cipherSuites().isEmpty()
                || connector.clientCertificateRequired()
                || !connector.clientCertificateNames().isEmpty();
    }

    /**
     * Names of the connectors a {@code RecipientConnectorIs=NAME[,LOCATION]} for {@code file}
     * appears with.
     */
    private static Set<String> routedConnectors(
            Document mailetContainer, Path file, Path workingDirectory) {
        Set<String> routed = new LinkedHashSet<>();
        for (String tag : List.of("mailet", "matcher")) {
            NodeList elements = mailetContainer.getElementsByTagName(tag);
            for (int i = 0; i < elements.getLength(); i++) {
                String match = ((Element) elements.item(i)).getAttribute("match").trim();
                int at = match.indexOf(ROUTE_MATCHER);
                if (at < 0 || !isMatcherClass(match.substring(0, at))) {
                    continue;
                }
                String condition = match.substring(at + ROUTE_MATCHER.length());
                int comma = condition.indexOf(',');
                String name = (comma < 0 ? condition : condition.substring(0, comma)).trim();
                String location =
                        comma < 0
                                ? RemoteDeliveryPlan.DEFAULT_LOCATION
                                : condition.substring(comma + 1).trim();
                if (!name.isEmpty()
                        && !location.isEmpty()
                        && normalize(PackPaths.resolve(workingDirectory, location)).equals(file)) {
                    routed.add(name);
                }
            }
        }
        return routed;
    }

    /**
     * True when a {@code ConnectorsRemoteDelivery} reading {@code file} delivers the generic
     * route's mail.
     */
    private static boolean hasGenericDelivery(
            Document mailetContainer, Path file, Path workingDirectory) {
        NodeList mailets = mailetContainer.getElementsByTagName("mailet");
        for (int i = 0; i < mailets.getLength(); i++) {
            Element mailet = (Element) mailets.item(i);
            if (!GENERIC_DELIVERY.equals(mailet.getAttribute("class").trim())) {
                continue;
            }
            NodeList locations = mailet.getElementsByTagName("connectors");
            String location =
                    locations.getLength() == 0
                            ? RemoteDeliveryPlan.DEFAULT_LOCATION
                            : locations.item(0).getTextContent().trim();
            if (normalize(PackPaths.resolve(workingDirectory, location)).equals(file)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Only the pack's matcher (by its full name, or a short name an operator's package list
     * resolves).
     */
    private static boolean isMatcherClass(String prefix) {
        return prefix.isEmpty() || prefix.equals("dev.mailsec.matchers.connector.");
    }

    /** The enabled SMTP servers (by jmxName or bind) lacking the hook for {@code file}. */
    private static List<String> serversWithoutHook(
            Document smtpServers, Path file, Path workingDirectory) {
        List<String> missing = new ArrayList<>();
        NodeList servers = smtpServers.getElementsByTagName("smtpserver");
        for (int i = 0; i < servers.getLength(); i++) {
            Element server = (Element) servers.item(i);
            if ("false".equalsIgnoreCase(server.getAttribute("enabled").trim())) {
                continue;
            }
            boolean hooked = false;
            NodeList handlers = server.getElementsByTagName("handler");
            for (int h = 0; h < handlers.getLength() && !hooked; h++) {
                Element handler = (Element) handlers.item(h);
                if (!INBOUND_HOOK.equals(handler.getAttribute("class").trim())) {
                    continue;
                }
                NodeList locations = handler.getElementsByTagName("connectors");
                hooked =
                        locations.getLength() == 1
                                && normalize(
                                                PackPaths.resolve(
                                                        workingDirectory,
                                                        locations.item(0).getTextContent()))
                                        .equals(file);
            }
            if (!hooked) {
                missing.add(serverName(server, i));
            }
        }
        return missing;
    }

    private static String serverName(Element server, int index) {
        for (String tag : List.of("jmxName", "bind")) {
            NodeList named = server.getElementsByTagName(tag);
            if (named.getLength() > 0 && !named.item(0).getTextContent().trim().isEmpty()) {
                return "'" + named.item(0).getTextContent().trim() + "'";
            }
        }
        return "#" + (index + 1);
    }

    private static String quoted(List<String> names) {
        List<String> quoted = new ArrayList<>();
        names.forEach(name -> quoted.add("'" + name + "'"));
        return String.join(", ", quoted);
    }

    private static Path normalize(Path path) {
        return path.toAbsolutePath().normalize();
    }

    /** James's own configuration file, parsed without fetching anything it references. */
    private static Document read(Path path) throws InvalidConnectorsException {
        byte[] content;
        try {
            content = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new InvalidConnectorsException(path + ": no such file", e);
        } catch (IOException e) {
            throw new InvalidConnectorsException(path + ": cannot read: " + e.getMessage(), e);
        }
        return ConnectorsFile.document(content, path.toString(), true);
    }
}

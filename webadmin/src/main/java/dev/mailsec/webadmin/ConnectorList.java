package dev.mailsec.webadmin;

import dev.mailsec.config.ConfigException;
import dev.mailsec.config.reload.ReloadableFile;
import dev.mailsec.tls.connector.Connectors;
import dev.mailsec.tls.connector.InboundConnector;
import dev.mailsec.tls.connector.InvalidConnectorsException;
import dev.mailsec.tls.connector.LiveConnectors;
import dev.mailsec.tls.connector.OutboundConnector;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import spark.Request;
import spark.Response;
import spark.Service;

/**
 * {@code GET /mailsec/connectors}: the inbound and outbound connectors of connectors.xml in force
 * (the generation the pack's hooks, matchers and mailets share, {@link LiveConnectors}); {@code
 * POST /mailsec/connectors/reload} re-reads the file. A trust store's password is never shown; a
 * client certificate is named by its DKM secret, never its key.
 */
final class ConnectorList {
    private final Optional<Path> file;
    private final Optional<ReloadableFile<Connectors>> live;
    private final Reloads reloads;

    ConnectorList(Optional<Path> file, Reloads reloads) {
        this.file = file;
        this.reloads = reloads;
        try {
            this.live =
                    file.isPresent()
                            ? Optional.of(LiveConnectors.shared(file.get()))
                            : Optional.empty();
            live.ifPresent(ReloadableFile::watch);
        } catch (InvalidConnectorsException e) {
            throw new ConfigException(
                    WebAdminSettings.FILE,
                    WebAdminSettings.CONNECTORS,
                    file.get().toString(),
                    e.getMessage(),
                    e);
        }
    }

    void define(Service service) {
        service.get(MailsecRoutes.BASE + "/connectors", this::list);
        service.post(MailsecRoutes.BASE + "/connectors/reload", this::reload);
    }

    private Object reload(Request request, Response response) {
        if (live.isEmpty()) {
            throw Answers.notFound("no connectors file (" + WebAdminSettings.CONNECTORS + ")");
        }
        return reloads.reload(request, live.get());
    }

    private Object list(Request request, Response response) {
        Connectors connectors =
                live.map(l -> l.current().value()).orElse(new Connectors(List.of(), List.of()));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("file", file.map(Path::toString).orElse(null));
        out.put("generation", live.map(l -> l.current().generation()).orElse(null));
        out.put(
                "inbound",
                connectors.inbound().stream()
                        .map(ConnectorList::inbound)
                        .collect(Collectors.toList()));
        out.put(
                "outbound",
                connectors.outbound().stream()
                        .map(ConnectorList::outbound)
                        .collect(Collectors.toList()));
        return Answers.json(out);
    }

    private static Map<String, Object> inbound(InboundConnector c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", c.name());
        m.put("senderDomains", texts(c.senderDomains()));
        m.put("clientNetworks", texts(c.clientNetworks()));
        m.put("clientCertificates", texts(c.clientCertificates()));
        Map<String, Object> requires = new LinkedHashMap<>();
        requires.put("tls", c.tlsRequired());
        requires.put("minimumProtocol", c.minimumProtocol().map(v -> v.jsseName()).orElse(null));
        requires.put("clientCertificate", c.clientCertificateRequired());
        requires.put("clientCertificateNames", texts(c.clientCertificateNames()));
        requires.put("cipherSuites", new ArrayList<>(c.cipherSuites()));
        m.put("requires", requires);
        return m;
    }

    private static Map<String, Object> outbound(OutboundConnector c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", c.name());
        m.put("recipientDomains", texts(c.recipientDomains()));
        m.put("smartHosts", texts(c.smartHosts()));
        Map<String, Object> tls = new LinkedHashMap<>();
        tls.put("level", c.tlsLevel().configName());
        tls.put("minimumProtocol", c.minimumProtocol().map(v -> v.jsseName()).orElse(null));
        tls.put("fallback", c.fallbackLevel().configName());
        tls.put("trustStore", c.trustStore().orElse(null));
        tls.put("expectedNames", c.expectedNames());
        tls.put("clientCertificate", c.clientCertificate().orElse(null));
        m.put("tls", tls);
        return m;
    }

    private static List<String> texts(List<?> values) {
        return values.stream().map(Object::toString).collect(Collectors.toList());
    }
}

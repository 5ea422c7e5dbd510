package dev.mailsec.tls.connector;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;

/**
 * The TLS contexts of one outbound connector that needs its own ({@link
 * OutboundConnector#needsOwnContext()}): per host delivered to, the connector's trust ({@link
 * ConnectorTrust}) and, when it has one, its client certificate as {@link ClientKeyCache} has it
 * now. A context is made when a host is first needed and again whenever the client certificate
 * changed (a new version in DKM after the cache time). Without a usable client certificate (DKM
 * unreachable after the cache time, the certificate expired) {@link #contextFor} fails: the
 * delivery attempt fails before anything is sent and the mail waits for its next attempt.
 */
public final class ConnectorContexts implements ConnectorSocketFactory.HostTrust {

    private final OutboundConnector connector;
    private final Path workingDirectory;
    private final Optional<ClientKeyCache> clientKey;
    private final Map<String, Made> contexts = new ConcurrentHashMap<>();

    /**
     * Checks the connector's trust store at once (a bad one fails the start).
     *
     * @param clientKey the connector's client certificate, empty when it presents none
     */
    public ConnectorContexts(
            OutboundConnector connector, Path workingDirectory, Optional<ClientKeyCache> clientKey)
            throws InvalidConnectorsException {
        this.connector = connector;
        this.workingDirectory = workingDirectory;
        this.clientKey = clientKey;
        if (connector.fallbackLevel() == OutboundTlsLevel.VERIFY) {
            ConnectorTrust.chainTrust(connector, workingDirectory);
        }
    }

    @Override
    public SSLContext contextFor(String host) throws IOException {
        ClientKey key = null;
        if (clientKey.isPresent()) {
            try {
                key = clientKey.get().current();
            } catch (IOException e) {
                throw new IOException(
                        "outbound connector '"
                                + connector.name()
                                + "': no client certificate to present: "
                                + e.getMessage(),
                        e);
            }
        }
        String name = host.toLowerCase(Locale.ROOT);
        Made made = contexts.get(name);
        if (made == null || made.key != key) {
            // first use of the host, or a new client certificate since its context was made
            KeyManager[] keys = key == null ? null : key.keyManagers();
            try {
                made =
                        new Made(
                                key,
                                ConnectorTrust.clientContext(
                                        connector, name, workingDirectory, keys));
            } catch (InvalidConnectorsException e) {
                throw new IOException(e.getMessage(), e);
            }
            contexts.put(name, made);
        }
        return made.context;
    }

    /** A host's context and the client certificate it presents (null: none). */
    private static final class Made {
        final ClientKey key;
        final SSLContext context;

        Made(ClientKey key, SSLContext context) {
            this.key = key;
            this.context = context;
        }
    }
}

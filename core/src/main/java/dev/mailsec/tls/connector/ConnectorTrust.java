package dev.mailsec.tls.connector;

import dev.mailsec.config.PackPaths;
import dev.mailsec.metrics.Metrics;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The TLS client context of a {@code verify} connector with its own trust: the partner's chain is
 * validated (PKIX, validity dates) against the connector's trust store, or the JVM's when it has
 * none, and the leaf certificate must be issued for one of the connector's expected names, or for
 * the host delivered to when it names none (RFC 6125 rules, {@link HostNameMatcher}).
 */
public final class ConnectorTrust {

    private ConnectorTrust() {}

    /**
     * The client context for delivering to {@code host} through {@code connector}.
     *
     * @param workingDirectory what a relative {@code trustStore} is resolved against (James's)
     * @throws InvalidConnectorsException naming the connector and {@code trustStore} when it cannot
     *     be used
     */
    public static SSLContext clientContext(
            OutboundConnector connector, String host, Path workingDirectory)
            throws InvalidConnectorsException {
        return clientContext(connector, host, workingDirectory, null);
    }

    /**
     * As {@link #clientContext(OutboundConnector, String, Path)}, presenting the client certificate
     * of {@code keys} (null: none). A {@code required} connector accepts any server certificate (as
     * JavaMail's {@code mail.smtp.ssl.trust=*} does for it without a client certificate); {@code
     * verify} checks the chain and the name.
     */
    public static SSLContext clientContext(
            OutboundConnector connector, String host, Path workingDirectory, KeyManager[] keys)
            throws InvalidConnectorsException {
        if (connector.fallbackLevel() != OutboundTlsLevel.VERIFY) {
            try {
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(keys, new TrustManager[] {new AnyServer()}, new SecureRandom());
                return context;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("the JVM cannot make a TLS context", e);
            }
        }
        X509TrustManager chain = chainTrust(connector, workingDirectory);
        List<String> names =
                connector.expectedNames().isEmpty()
                        ? List.of(host.toLowerCase(Locale.ROOT))
                        : connector.expectedNames();
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(
                    keys,
                    new TrustManager[] {
                        new NameCheckingTrustManager(chain, names, connector.name())
                    },
                    new SecureRandom());
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JVM cannot make a TLS context", e);
        }
    }

    /**
     * Loads the connector's trust store (or the JVM's) as a PKIX trust manager; validates it at
     * start.
     */
    public static X509TrustManager chainTrust(OutboundConnector connector, Path workingDirectory)
            throws InvalidConnectorsException {
        Optional<KeyStore> store = Optional.empty();
        if (connector.trustStore().isPresent()) {
            Path path;
            try {
                path = PackPaths.resolve(workingDirectory, connector.trustStore().get());
            } catch (IllegalArgumentException e) {
                throw new InvalidConnectorsException(
                        "outbound connector '"
                                + connector.name()
                                + "': trustStore: "
                                + e.getMessage(),
                        e);
            }
            store = Optional.of(load(path, connector));
        }
        try {
            TrustManagerFactory factory =
                    TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store.orElse(null));
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509TrustManager) {
                    return (X509TrustManager) manager;
                }
            }
            throw new IllegalStateException("the JVM has no X.509 trust manager");
        } catch (GeneralSecurityException e) {
            throw new InvalidConnectorsException(
                    "outbound connector '" + connector.name() + "': trustStore: " + e.getMessage(),
                    e);
        }
    }

    private static KeyStore load(Path path, OutboundConnector connector)
            throws InvalidConnectorsException {
        String where = "outbound connector '" + connector.name() + "': trustStore: " + path + ": ";
        String name =
                path.getFileName() == null
                        ? ""
                        : path.getFileName().toString().toLowerCase(Locale.ROOT);
        boolean pkcs12 = name.endsWith(".p12") || name.endsWith(".pfx");
        try (InputStream in = Files.newInputStream(path)) {
            KeyStore store;
            if (pkcs12) {
                store = KeyStore.getInstance("PKCS12");
                store.load(
                        in, connector.trustStorePassword().map(String::toCharArray).orElse(null));
            } else {
                store = KeyStore.getInstance(KeyStore.getDefaultType());
                store.load(null, null);
                int i = 0;
                for (Certificate certificate :
                        CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                    store.setCertificateEntry("ca-" + i++, certificate);
                }
            }
            if (store.size() == 0) {
                throw new InvalidConnectorsException(
                        where
                                + "holds no certificate"
                                + (pkcs12
                                        ? ""
                                        : " (expected PEM CA certificates, or a .p12/.pfx file)"));
            }
            return store;
        } catch (NoSuchFileException e) {
            throw new InvalidConnectorsException(where + "no such file", e);
        } catch (IOException | GeneralSecurityException e) {
            // the message of a wrong password names no secret
            throw new InvalidConnectorsException(where + "cannot read: " + e.getMessage(), e);
        }
    }

    /**
     * Any server certificate, for a {@code required} connector (encryption mandatory, no
     * authentication of the server: Postfix's {@code encrypt}).
     */
    static final class AnyServer implements X509TrustManager {
        @Override
        public void checkServerTrusted(X509Certificate[] certificates, String authType) {
            // required: encrypted, server not authenticated (RemoteDeliveryPlan's required level)
        }

        @Override
        public void checkClientTrusted(X509Certificate[] certificates, String authType)
                throws CertificateException {
            throw new CertificateException("a connector's trust is for servers only");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }

    /** Chain by the delegate, then the leaf's name against the expected names; a client only. */
    static final class NameCheckingTrustManager extends X509ExtendedTrustManager {
        private final X509TrustManager chain;
        private final List<String> names;
        private final String connector;

        NameCheckingTrustManager(X509TrustManager chain, List<String> names, String connector) {
            this.chain = chain;
            this.names = names;
            this.connector = connector;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] certificates, String authType)
                throws CertificateException {
            try {
                check(certificates, authType);
            } catch (CertificateException | RuntimeException e) {
                Metrics.global().outboundCertificateRefused(connector);
                throw e;
            }
        }

        private void check(X509Certificate[] certificates, String authType)
                throws CertificateException {
            chain.checkServerTrusted(certificates, authType);
            for (String name : names) {
                if (HostNameMatcher.match(name, certificates[0]).isPresent()) {
                    return;
                }
            }
            throw new CertificateException(
                    "outbound connector '"
                            + connector
                            + "': certificate not issued for "
                            + String.join(" or ", names));
        }

        @Override
        public void checkServerTrusted(
                X509Certificate[] certificates, String authType, Socket socket)
                throws CertificateException {
            checkServerTrusted(certificates, authType);
        }

        @Override
        public void checkServerTrusted(
                X509Certificate[] certificates, String authType, SSLEngine engine)
                throws CertificateException {
            checkServerTrusted(certificates, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] certificates, String authType)
                throws CertificateException {
            throw new CertificateException("a connector's trust is for servers only");
        }

        @Override
        public void checkClientTrusted(
                X509Certificate[] certificates, String authType, Socket socket)
                throws CertificateException {
            checkClientTrusted(certificates, authType);
        }

        @Override
        public void checkClientTrusted(
                X509Certificate[] certificates, String authType, SSLEngine engine)
                throws CertificateException {
            checkClientTrusted(certificates, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return chain.getAcceptedIssuers();
        }
    }
}

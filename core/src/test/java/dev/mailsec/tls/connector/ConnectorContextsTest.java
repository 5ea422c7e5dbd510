package dev.mailsec.tls.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A connector's TLS contexts against a real JSSE server on loopback that requires a client
 * certificate from the test CA: the current certificate is presented, a new version after the
 * refresh period, and nothing is attempted without one.
 */
class ConnectorContextsTest {

    private static final ClientPki PKI = new ClientPki();
    private static final Duration REFRESH = Duration.ofMinutes(5);

    private final ExecutorService server = Executors.newSingleThreadExecutor();
    private final ClientKeyCacheTest.MovableClock clock = new ClientKeyCacheTest.MovableClock();
    private final ClientKeyCacheTest.Script source = new ClientKeyCacheTest.Script();

    @AfterEach
    void stop() {
        server.shutdownNow();
    }

    @Test
    void theCurrentCertificateShouldBePresentedAndARotatedOneAfterTheRefreshPeriod()
            throws Exception {
        source.next(key("CN=mailsec.test v1", 1));
        source.next(key("CN=mailsec.test v2", 2));
        ConnectorContexts contexts = contexts(OutboundTlsLevel.REQUIRED);

        assertThat(handshake(contexts)).isEqualTo("CN=mailsec.test v1");
        clock.advance(REFRESH.minusSeconds(1));
        assertThat(handshake(contexts)).isEqualTo("CN=mailsec.test v1");
        clock.advance(Duration.ofSeconds(1));
        assertThat(handshake(contexts)).isEqualTo("CN=mailsec.test v2");
    }

    @Test
    void noCertificateShouldMeanNoTlsContextSoNothingIsSent() throws Exception {
        source.next(new IOException("DKM unreachable"));
        ConnectorContexts contexts = contexts(OutboundTlsLevel.VERIFY);

        assertThatThrownBy(() -> contexts.contextFor("localhost"))
                .isInstanceOf(IOException.class)
                .hasMessage(
                        "outbound connector 'bank': no client certificate to present: DKM unreachable");
    }

    @Test
    void aConnectorWithoutClientCertificateShouldBeRefusedByAServerThatNeedsOne() throws Exception {
        OutboundConnector none =
                OutboundConnector.builder("plain")
                        .recipientDomain(DomainPattern.parse("plain.test"))
                        .tlsLevel(OutboundTlsLevel.REQUIRED)
                        .build();
        ConnectorContexts contexts = new ConnectorContexts(none, Path.of("."), Optional.empty());

        assertThatThrownBy(() -> handshake(contexts)).isInstanceOf(Exception.class);
    }

    private ConnectorContexts contexts(OutboundTlsLevel level) throws Exception {
        OutboundConnector connector =
                OutboundConnector.builder("bank")
                        .recipientDomain(DomainPattern.parse("bank.test"))
                        .tlsLevel(level)
                        .clientCertificate("tls/bank", REFRESH)
                        .build();
        return new ConnectorContexts(
                connector, Path.of("."), Optional.of(new ClientKeyCache(source, REFRESH, clock)));
    }

    /** One handshake with a server that needs a client certificate; the subject it saw. */
    private String handshake(ConnectorContexts contexts) throws Exception {
        try (SSLServerSocket listener = serverSocket()) {
            Future<String> seen =
                    server.submit(
                            () -> {
                                try (SSLSocket s = (SSLSocket) listener.accept()) {
                                    s.startHandshake();
                                    X509Certificate peer =
                                            (X509Certificate)
                                                    s.getSession().getPeerCertificates()[0];
                                    s.getOutputStream().write(1);
                                    return peer.getSubjectX500Principal().getName();
                                }
                            });
            try (Socket plain =
                            new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort());
                    SSLSocket tls =
                            (SSLSocket)
                                    contexts.contextFor("localhost")
                                            .getSocketFactory()
                                            .createSocket(
                                                    plain,
                                                    "localhost",
                                                    listener.getLocalPort(),
                                                    true)) {
                tls.startHandshake();
                tls.getInputStream().read();
            }
            return seen.get(20, TimeUnit.SECONDS);
        }
    }

    private static SSLServerSocket serverSocket() throws Exception {
        ClientPki.Issued server = PKI.server("localhost");
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry(
                "server",
                server.keys.getPrivate(),
                "x".toCharArray(),
                new X509Certificate[] {server.certificate, PKI.ca});
        KeyManagerFactory kmf =
                KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, "x".toCharArray());
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", PKI.ca);
        TrustManagerFactory tmf =
                TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        SSLServerSocket socket =
                (SSLServerSocket)
                        context.getServerSocketFactory()
                                .createServerSocket(0, 1, InetAddress.getLoopbackAddress());
        socket.setNeedClientAuth(true);
        return socket;
    }

    private static ClientKey key(String cn, int version) {
        ClientPki.Issued issued = PKI.client(cn);
        try {
            return ClientKey.of(
                    issued.keys.getPrivate(),
                    List.of(issued.certificate, PKI.ca),
                    version,
                    Instant.now());
        } catch (InvalidConnectorsException e) {
            throw new IllegalStateException(e);
        }
    }
}

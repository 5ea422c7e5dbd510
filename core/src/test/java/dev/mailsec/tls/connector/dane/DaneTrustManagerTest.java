package dev.mailsec.tls.connector.dane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.net.InetAddress;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Real JSSE handshakes on loopback with {@link DaneTrustManager} as the client's only trust: a
 * server whose certificate its TLSA records designate is accepted whatever its name, any other is
 * refused in the handshake, before a byte of mail could be sent.
 */
class DaneTrustManagerTest {

    private static final DanePki PKI = new DanePki();
    private final DanePki.Issued server = PKI.server("mx.partner.test");
    private SSLServerSocket listener;
    private CompletableFuture<Void> accepted;

    @BeforeEach
    void startServer() throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry(
                "server",
                server.keys.getPrivate(),
                new char[0],
                new Certificate[] {server.certificate, PKI.intermediate});
        KeyManagerFactory factory = KeyManagerFactory.getInstance("PKIX");
        factory.init(keys, new char[0]);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(factory.getKeyManagers(), null, null);
        listener =
                (SSLServerSocket)
                        context.getServerSocketFactory()
                                .createServerSocket(0, 5, InetAddress.getLoopbackAddress());
        accepted =
                CompletableFuture.runAsync(
                        () -> {
                            while (!listener.isClosed()) {
                                try (SSLSocket socket = (SSLSocket) listener.accept();
                                        InputStream in = socket.getInputStream()) {
                                    socket.setSoTimeout(10_000);
                                    socket.startHandshake();
                                    in.read();
                                } catch (Exception ended) {
                                    // the client refused the handshake or closed; next one
                                }
                            }
                        });
    }

    @AfterEach
    void stopServer() throws Exception {
        listener.close();
    }

    @Test
    void aDesignatedCertificateShouldBeAcceptedUnderAnotherName() throws Exception {
        handshake(new TlsaRecord[] {TlsaRecord.of(3, 1, 1, server.certificate)}, "127.0.0.1");
    }

    @Test
    void aDaneTaChainShouldBeAcceptedForTheMxName() throws Exception {
        handshake(new TlsaRecord[] {TlsaRecord.of(2, 0, 1, PKI.intermediate)}, "mx.partner.test");
    }

    @Test
    void anyOtherCertificateShouldFailTheHandshake() {
        TlsaRecord other = TlsaRecord.of(3, 1, 1, DanePki.selfSigned("x.test").certificate);

        assertThatThrownBy(() -> handshake(new TlsaRecord[] {other}, "mx.partner.test"))
                .isInstanceOf(SSLHandshakeException.class)
                .hasMessageContaining("DANE: no TLSA record matched");
        assertThatThrownBy(
                        () ->
                                handshake(
                                        new TlsaRecord[] {TlsaRecord.of(2, 0, 1, PKI.intermediate)},
                                        "other.test"))
                .isInstanceOf(SSLHandshakeException.class)
                .hasMessageContaining("not issued for other.test");
    }

    private void handshake(TlsaRecord[] records, String name) throws Exception {
        SSLContext client = SSLContext.getInstance("TLS");
        client.init(
                null,
                new TrustManager[] {
                    new DaneTrustManager(List.of(records), List.of(name), Clock.systemUTC())
                },
                null);
        try (SSLSocket socket =
                (SSLSocket)
                        client.getSocketFactory()
                                .createSocket(
                                        InetAddress.getLoopbackAddress(),
                                        listener.getLocalPort())) {
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm(null);
            socket.setSSLParameters(parameters);
            socket.setSoTimeout(10_000);
            socket.startHandshake();
            assertThat(socket.getSession().getPeerCertificates()[0]).isEqualTo(server.certificate);
        }
    }
}

package dev.mailsec.tls.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailsec.tls.connector.dane.DanePki;
import dev.mailsec.tls.connector.dane.DanePolicy;
import dev.mailsec.tls.connector.dane.DanePolicyFixtures;
import dev.mailsec.tls.connector.dane.TlsaRecord;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.security.KeyStore;
import java.security.cert.Certificate;
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
 * A {@code dane} connector's client certificate against a real JSSE server on loopback whose
 * certificate matches the host's TLSA record (DANE-EE) and which requires a client certificate from
 * the partner's CA: the current DKM version is presented, a rotated one after the refresh period,
 * and without one (DKM down) there is no TLS context, so nothing is sent.
 */
class DaneHostTrustClientCertificateTest {

    private static final ClientPki CLIENTS = new ClientPki();
    private static final DanePki SERVERS = new DanePki();
    private static final Duration REFRESH = Duration.ofMinutes(5);
    private static final String MX = "mx.partner.test";

    private final DanePki.Issued mx = SERVERS.server(MX);
    private final DanePolicy policy =
            DanePolicyFixtures.authenticated(
                    "partner.test", MX, TlsaRecord.of(3, 1, 1, mx.certificate));
    private final ExecutorService server = Executors.newSingleThreadExecutor();
    private final ClientKeyCacheTest.MovableClock clock = new ClientKeyCacheTest.MovableClock();
    private final ClientKeyCacheTest.Script source = new ClientKeyCacheTest.Script();

    @AfterEach
    void stop() {
        server.shutdownNow();
    }

    @Test
    void thePartnerShouldReceiveOurCertificateAndARotatedOneAfterTheRefreshPeriod()
            throws Exception {
        source.next(key("CN=mailsec.test v1", 1));
        source.next(key("CN=mailsec.test v2", 2));
        DaneHostTrust trust = trust(Optional.of(new ClientKeyCache(source, REFRESH, clock)));

        assertThat(handshake(trust)).isEqualTo("CN=mailsec.test v1");
        clock.advance(REFRESH.minusSeconds(1));
        assertThat(handshake(trust)).isEqualTo("CN=mailsec.test v1");
        clock.advance(Duration.ofSeconds(1));
        assertThat(handshake(trust)).isEqualTo("CN=mailsec.test v2");
    }

    @Test
    void dkmDownShouldMeanNoTlsContextSoTheMailWaits() {
        source.next(new IOException("DKM unreachable"));
        DaneHostTrust trust = trust(Optional.of(new ClientKeyCache(source, REFRESH, clock)));

        assertThatThrownBy(() -> trust.contextFor(MX))
                .isInstanceOf(IOException.class)
                .hasMessage(
                        "outbound connector 'partner': no client certificate to present to "
                                + MX
                                + ": DKM unreachable");
    }

    @Test
    void withoutAClientCertificateThePartnerShouldRefuseTheHandshake() {
        DaneHostTrust trust = trust(Optional.empty());

        assertThatThrownBy(() -> handshake(trust)).isInstanceOf(Exception.class);
    }

    @Test
    void aServerCertificateTheTlsaRecordDoesNotMatchShouldStillFail() throws Exception {
        source.next(key("CN=mailsec.test v1", 1));
        DanePolicy other =
                DanePolicyFixtures.authenticated(
                        "partner.test",
                        MX,
                        TlsaRecord.of(3, 1, 1, DanePki.selfSigned("x.test").certificate));
        DaneHostTrust trust =
                new DaneHostTrust(
                        other,
                        address -> MX,
                        clock,
                        "partner",
                        Optional.of(new ClientKeyCache(source, REFRESH, clock)));

        assertThatThrownBy(() -> handshake(trust)).isInstanceOf(Exception.class);
    }

    private DaneHostTrust trust(Optional<ClientKeyCache> clientKey) {
        // RemoteDelivery connects by address: the address maps back to the MX host
        return new DaneHostTrust(policy, address -> MX, clock, "partner", clientKey);
    }

    /** One handshake with the partner's MX host; the client subject it saw. */
    private String handshake(DaneHostTrust trust) throws Exception {
        try (SSLServerSocket listener = serverSocket()) {
            Future<String> seen =
                    server.submit(
                            () -> {
                                try (SSLSocket s = (SSLSocket) listener.accept()) {
                                    s.setSoTimeout(10_000);
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
                                    trust.contextFor("127.0.0.1")
                                            .getSocketFactory()
                                            .createSocket(
                                                    plain,
                                                    "127.0.0.1",
                                                    listener.getLocalPort(),
                                                    true)) {
                tls.startHandshake();
                tls.getInputStream().read();
            }
            return seen.get(20, TimeUnit.SECONDS);
        }
    }

    /** The MX host: the TLSA-designated certificate, requiring a client one from our CA. */
    private SSLServerSocket serverSocket() throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry(
                "server",
                mx.keys.getPrivate(),
                "x".toCharArray(),
                new Certificate[] {mx.certificate, SERVERS.intermediate});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
        kmf.init(keys, "x".toCharArray());
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", CLIENTS.ca);
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
        ClientPki.Issued issued = CLIENTS.client(cn);
        try {
            return ClientKey.of(
                    issued.keys.getPrivate(),
                    List.of(issued.certificate, CLIENTS.ca),
                    version,
                    Instant.now());
        } catch (InvalidConnectorsException e) {
            throw new IllegalStateException(e);
        }
    }
}

package dev.mailsec.tls.published;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsec.testsupport.PemPki;
import dev.mailsec.tls.connector.mtasts.MtaStsCache;
import dev.mailsec.tls.connector.mtasts.MtaStsPolicy;
import dev.mailsec.tls.connector.mtasts.MtaStsResolver;
import dev.mailsec.tls.connector.mtasts.SocketPolicyFetcher;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyServerTest {

    @TempDir static Path dir;
    static PemPki pki;
    static Path ca;
    static OwnPolicies policies;
    static PolicyServer server;
    static SSLContext client;

    @BeforeAll
    static void start() throws Exception {
        pki = new PemPki("policy server test CA");
        ca = pki.writeCa(dir.resolve("ca.pem"));
        Path[] a = pki.write(pki.server(Duration.ofDays(30), "mta-sts.a.test"), dir, "a");
        Path[] b = pki.write(pki.server(Duration.ofDays(30), "mta-sts.b.test"), dir, "b");
        Path file = dir.resolve("mta-sts.xml");
        Files.writeString(
                file,
                "<mta-sts>"
                        + "<certificate chain=\""
                        + a[0]
                        + "\" key=\""
                        + a[1]
                        + "\"/>"
                        + "<certificate chain=\""
                        + b[0]
                        + "\" key=\""
                        + b[1]
                        + "\"/>"
                        + "<domain name=\"a.test\" mode=\"enforce\"><mx>mx.a.test</mx></domain>"
                        + "<domain name=\"b.test\" mode=\"testing\" maxAge=\"3600\"><mx>*.b.test</mx></domain>"
                        + "</mta-sts>");
        policies = OwnPolicies.load(file);
        server =
                PolicyServer.start(
                        policies, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        TrustManagerFactory trust = TrustManagerFactory.getInstance("PKIX");
        trust.init(pki.trustStore());
        client = SSLContext.getInstance("TLS");
        client.init(null, trust.getTrustManagers(), null);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static SocketPolicyFetcher fetcher() {
        return new SocketPolicyFetcher(
                host -> List.of(InetAddress.getLoopbackAddress()),
                client,
                server.port(),
                Duration.ofSeconds(5));
    }

    @Test
    void ourOwnClientShouldFetchEachDomainsPolicyWithItsCertificate() throws Exception {
        MtaStsPolicy a = fetcher().fetch("a.test");
        MtaStsPolicy b = fetcher().fetch("b.test");

        assertThat(a.mode()).isEqualTo(MtaStsPolicy.Mode.ENFORCE);
        assertThat(a.mxPatterns()).containsExactly("mx.a.test");
        assertThat(b.mode()).isEqualTo(MtaStsPolicy.Mode.TESTING);
        assertThat(b.maxAgeSeconds()).isEqualTo(3600);
        assertThat(fetcher().fetchText("a.test"))
                .isEqualTo(policies.policies().get("a.test").text());
    }

    @Test
    void ourOwnResolverShouldTakeThePolicyTheRecordAnnounces() {
        String id = policies.policies().get("a.test").id();
        MtaStsResolver resolver =
                new MtaStsResolver(
                        name ->
                                name.equals("_mta-sts.a.test")
                                        ? List.of("v=STSv1; id=" + id + ";")
                                        : List.of(),
                        fetcher(),
                        Clock.systemUTC(),
                        new MtaStsCache());

        MtaStsResolver.Result result = resolver.resolve("a.test");

        assertThat(result.source()).isEqualTo("fetched");
        assertThat(result.id()).contains(id);
        assertThat(result.policy().get().allowsMx("mx.a.test")).isTrue();
    }

    @Test
    void theServerShouldPickTheCertificateBySni() throws Exception {
        assertThat(leaf("mta-sts.b.test").getSubjectX500Principal().getName())
                .isEqualTo("CN=mta-sts.b.test");
        assertThat(leaf("mta-sts.a.test").getSubjectX500Principal().getName())
                .isEqualTo("CN=mta-sts.a.test");
    }

    @Test
    void anythingButAGetOfThePathForAKnownHostShouldBeNotFound() throws Exception {
        assertThat(request("GET", "/.well-known/mta-sts.txt", "mta-sts.a.test"))
                .startsWith("HTTP/1.1 200");
        assertThat(request("GET", "/.well-known/mta-sts.txt", "mta-sts.a.test:443"))
                .startsWith("HTTP/1.1 200");
        assertThat(request("POST", "/.well-known/mta-sts.txt", "mta-sts.a.test"))
                .startsWith("HTTP/1.1 404");
        assertThat(request("HEAD", "/.well-known/mta-sts.txt", "mta-sts.a.test"))
                .startsWith("HTTP/1.1 404");
        assertThat(request("GET", "/.well-known/mta-sts.txt?x=1", "mta-sts.a.test"))
                .startsWith("HTTP/1.1 404");
        assertThat(request("GET", "/.well-known/../.well-known/mta-sts.txt", "mta-sts.a.test"))
                .startsWith("HTTP/1.1 404");
        assertThat(request("GET", "/.well-known/mta-sts%2etxt", "mta-sts.a.test"))
                .startsWith("HTTP/1.1 404");
        assertThat(request("GET", "/../../etc/passwd", "mta-sts.a.test"))
                .startsWith("HTTP/1.1 404");
        assertThat(request("GET", "/", "mta-sts.a.test")).startsWith("HTTP/1.1 404");
        assertThat(request("GET", "/.well-known/mta-sts.txt", "mta-sts.c.test"))
                .startsWith("HTTP/1.1 404");
        assertThat(request("GET", "/.well-known/mta-sts.txt", "a.test")).startsWith("HTTP/1.1 404");
        assertThat(request("GET", "/.well-known/mta-sts.txt", null)).startsWith("HTTP/1.1 404");
    }

    @Test
    void aClientOverItsLimitShouldGetTooManyRequests() throws Exception {
        // a limit of 0 makes every request one too many: the refusal path over real HTTPS
        try (PolicyServer full =
                PolicyServer.start(
                        policies, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0)) {
            String answer =
                    request("GET", "/.well-known/mta-sts.txt", "mta-sts.a.test", full.port());

            assertThat(answer)
                    .startsWith("HTTP/1.1 429")
                    .containsIgnoringCase("Retry-After: 10")
                    .doesNotContain("version: STSv1");
        }
        // the default limit admits sequential requests and forgets each client when done
        for (int i = 0; i < PolicyServer.PER_CLIENT + 2; i++) {
            assertThat(request("GET", "/.well-known/mta-sts.txt", "mta-sts.a.test"))
                    .startsWith("HTTP/1.1 200");
        }
    }

    @Test
    void curlShouldFetchThePolicyWithValidationAndSni() throws Exception {
        Process curl =
                new ProcessBuilder(
                                "curl",
                                "-sS",
                                "--fail",
                                "--max-time",
                                "10",
                                "--cacert",
                                ca.toString(),
                                "--resolve",
                                "mta-sts.b.test:" + server.port() + ":127.0.0.1",
                                "https://mta-sts.b.test:"
                                        + server.port()
                                        + "/.well-known/mta-sts.txt")
                        .redirectErrorStream(true)
                        .start();
        String output = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(curl.waitFor(20, TimeUnit.SECONDS)).isTrue();

        assertThat(curl.exitValue()).as(output).isZero();
        assertThat(output).isEqualTo(policies.policies().get("b.test").text());
    }

    private static X509Certificate leaf(String sni) throws Exception {
        try (SSLSocket socket = socket(sni)) {
            socket.startHandshake();
            return (X509Certificate) socket.getSession().getPeerCertificates()[0];
        }
    }

    private static SSLSocket socket(String sni) throws Exception {
        return socket(sni, server.port());
    }

    private static SSLSocket socket(String sni, int port) throws Exception {
        SSLSocket socket =
                (SSLSocket)
                        client.getSocketFactory()
                                .createSocket(
                                        // named by the SNI host: the client's session cache never
                                        // resumes another name's session
                                        new Socket(InetAddress.getLoopbackAddress(), port),
                                        sni,
                                        port,
                                        true);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setServerNames(List.of(new SNIHostName(sni)));
        socket.setSSLParameters(parameters);
        socket.setSoTimeout(5000);
        return socket;
    }

    private static String request(String method, String target, String host) throws Exception {
        return request(method, target, host, server.port());
    }

    private static String request(String method, String target, String host, int port)
            throws Exception {
        try (SSLSocket socket = socket("mta-sts.a.test", port)) {
            OutputStream out = socket.getOutputStream();
            out.write(
                    (method
                                    + " "
                                    + target
                                    + " HTTP/1.1\r\n"
                                    + (host == null ? "" : "Host: " + host + "\r\n")
                                    + "Connection: close\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }
}

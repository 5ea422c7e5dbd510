package dev.mailsec.tls.connector.mtasts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The resolver against a real HTTPS policy server on loopback (certificate made by the JDK's
 * keytool).
 */
class MtaStsResolverTest {

    private static final String SECRET = "test-only";

    @TempDir Path dir;
    private HttpsServer server;
    private SSLContext clientTls;
    private final AtomicInteger fetches = new AtomicInteger();
    private volatile String body =
            "version: STSv1\nmode: enforce\nmx: mx.example.test\nmax_age: 3600\n";
    private volatile int status = 200;
    private volatile String contentType = "text/plain";
    private final List<String> txt = new ArrayList<>();
    private volatile boolean dnsFails;
    private final MutableClock clock = new MutableClock();

    @BeforeEach
    void startPolicyServer() throws Exception {
        Path keyStore = dir.resolve("server.p12");
        keytool(
                "-genkeypair",
                "-alias",
                "server",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=localhost",
                "-ext",
                "san=dns:localhost,dns:mta-sts.example.test",
                "-validity",
                "2",
                "-keystore",
                keyStore.toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                SECRET);
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            store.load(in, SECRET.toCharArray());
        }
        KeyManagerFactory keys =
                KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, SECRET.toCharArray());
        SSLContext serverTls = SSLContext.getInstance("TLS");
        serverTls.init(keys.getKeyManagers(), null, null);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("server", store.getCertificate("server"));
        TrustManagerFactory trustManagers =
                TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trust);
        clientTls = SSLContext.getInstance("TLS");
        clientTls.init(null, trustManagers.getTrustManagers(), null);

        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        server.setHttpsConfigurator(new HttpsConfigurator(serverTls));
        server.createContext(
                "/.well-known/mta-sts.txt",
                exchange -> {
                    fetches.incrementAndGet();
                    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().set("Content-Type", contentType);
                    if (status == 302) {
                        exchange.getResponseHeaders()
                                .set(
                                        "Location",
                                        "https://localhost:"
                                                + server.getAddress().getPort()
                                                + "/moved");
                    }
                    exchange.sendResponseHeaders(status, bytes.length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(bytes);
                    }
                });
        server.createContext(
                "/moved",
                exchange -> {
                    byte[] bytes =
                            "version: STSv1\nmode: none\nmax_age: 1\n"
                                    .getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().set("Content-Type", "text/plain");
                    exchange.sendResponseHeaders(200, bytes.length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(bytes);
                    }
                });
        server.start();
        txt.add("v=STSv1; id=1;");
    }

    @AfterEach
    void stopPolicyServer() {
        server.stop(0);
    }

    @Test
    void resolveShouldFetchOnceAndReuseTheCacheWhileTheIdIsUnchanged() {
        MtaStsResolver resolver = resolver();

        MtaStsResolver.Result first = resolver.resolve("example.test");
        MtaStsResolver.Result second = resolver.resolve("example.test");

        assertThat(first.source()).isEqualTo("fetched");
        assertThat(first.policy().orElseThrow().mode()).isEqualTo(MtaStsPolicy.Mode.ENFORCE);
        assertThat(first.policy().orElseThrow().allowsMx("mx.example.test")).isTrue();
        assertThat(second.source()).isEqualTo("cached");
        assertThat(fetches.get()).isEqualTo(1);
    }

    @Test
    void resolveShouldFetchAgainWhenTheIdChangesOrMaxAgeExpires() {
        MtaStsResolver resolver = resolver();
        resolver.resolve("example.test");

        txt.set(0, "v=STSv1; id=2;");
        body = "version: STSv1\nmode: testing\nmx: mx.example.test\nmax_age: 3600\n";
        assertThat(resolver.resolve("example.test").policy().orElseThrow().mode())
                .isEqualTo(MtaStsPolicy.Mode.TESTING);

        clock.advance(Duration.ofSeconds(3601));
        assertThat(resolver.resolve("example.test").source()).isEqualTo("fetched");
        assertThat(fetches.get()).isEqualTo(3);
    }

    @Test
    void resolveShouldKeepAnUnexpiredPolicyWhenDnsOrTheServerFails() {
        MtaStsResolver resolver = resolver();
        resolver.resolve("example.test");

        dnsFails = true;
        assertThat(resolver.resolve("example.test").source())
                .startsWith("cached (TXT lookup failed");
        dnsFails = false;
        txt.set(0, "v=STSv1; id=3;");
        status = 500;
        MtaStsResolver.Result result = resolver.resolve("example.test");
        assertThat(result.source())
                .isEqualTo("cached (fetch failed: HTTP status 500 (RFC 8461 accepts only 200))");
        assertThat(result.policy()).isPresent();
    }

    @Test
    void resolveShouldFindNoPolicyWithoutRecordOrWithABadResponse() {
        txt.clear();
        assertThat(resolver().resolve("example.test").source()).isEqualTo("no _mta-sts record");
        txt.add("v=STSv1; id=1;");
        txt.add("v=STSv1; id=2;");
        assertThat(resolver().resolve("example.test").policy())
                .as("two records mean none")
                .isEmpty();
        txt.remove(1);

        status = 302;
        assertThat(resolver().resolve("example.test").source())
                .startsWith("policy fetch failed: HTTP status 302");
        status = 200;
        contentType = "text/html";
        assertThat(resolver().resolve("example.test").source()).contains("expected text/plain");
        contentType = "text/plain";
        body = "x".repeat(MtaStsPolicy.MAX_BYTES + 10);
        assertThat(resolver().resolve("example.test").source()).contains("larger than 65536 bytes");
        body = "version: STSv1\nmode: sometimes\n";
        assertThat(resolver().resolve("example.test").source())
                .contains("mode must be enforce, testing or none");
    }

    @Test
    void resolveShouldTellAnInvalidPolicyFromOneThatCouldNotBeFetched() {
        assertThat(resolver().resolve("example.test").failure()).isEmpty();
        status = 404;
        MtaStsResolver.Result notFound = resolver().resolve("example.test");
        assertThat(notFound.failure()).contains(MtaStsResolver.FetchFailure.FETCH_ERROR);
        assertThat(notFound.source()).startsWith("policy fetch failed: HTTP status 404");
        status = 200;
        contentType = "text/html";
        assertThat(resolver().resolve("example.test").failure())
                .contains(MtaStsResolver.FetchFailure.FETCH_ERROR);
        contentType = "text/plain";
        body = "version: STSv1\nmode: sometimes\nmx: mx.example.test\nmax_age: 86400\n";
        MtaStsResolver.Result badMode = resolver().resolve("example.test");
        assertThat(badMode.policy()).isEmpty();
        assertThat(badMode.failure()).contains(MtaStsResolver.FetchFailure.POLICY_INVALID);
        assertThat(badMode.source())
                .startsWith("policy invalid: ")
                .contains("mode must be enforce, testing or none");
        body = "version: STSv2\nmode: enforce\nmx: mx.example.test\nmax_age: 86400\n";
        assertThat(resolver().resolve("example.test").failure())
                .contains(MtaStsResolver.FetchFailure.POLICY_INVALID);
    }

    @Test
    void resolveShouldRefuseAPolicyServerWithAnUntrustedCertificate() throws Exception {
        SSLContext trustNothing = SSLContext.getInstance("TLS");
        TrustManagerFactory empty =
                TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        KeyStore none = KeyStore.getInstance("PKCS12");
        none.load(null, null);
        empty.init(none);
        trustNothing.init(null, empty.getTrustManagers(), null);
        MtaStsResolver resolver =
                new MtaStsResolver(
                        name -> txt, trustNothing, this::uri, Duration.ofSeconds(5), clock);

        MtaStsResolver.Result result = resolver.resolve("example.test");

        assertThat(result.policy()).isEmpty();
        assertThat(result.source()).startsWith("policy fetch failed");
        assertThat(result.failure()).contains(MtaStsResolver.FetchFailure.WEBPKI_INVALID);
        assertThat(fetches.get()).isZero();
    }

    @Test
    void socketFetcherShouldFetchFromTheLookedUpAddressAndCheckTheMtaStsHostName()
            throws Exception {
        List<String> looked = new ArrayList<>();
        SocketPolicyFetcher fetcher =
                new SocketPolicyFetcher(
                        host -> {
                            looked.add(host);
                            return List.of(InetAddress.getLoopbackAddress());
                        },
                        clientTls,
                        server.getAddress().getPort(),
                        Duration.ofSeconds(5));
        MtaStsResolver resolver =
                new MtaStsResolver(name -> new ArrayList<>(txt), fetcher, clock, new MtaStsCache());

        MtaStsResolver.Result result = resolver.resolve("example.test");

        assertThat(result.source()).isEqualTo("fetched");
        assertThat(result.policy().orElseThrow().mxPatterns()).containsExactly("mx.example.test");
        assertThat(looked).containsExactly("mta-sts.example.test");
        // the certificate names localhost and mta-sts.example.test, not mta-sts.other.test
        assertThatThrownBy(() -> fetcher.fetch("other.test")).isInstanceOf(IOException.class);
        assertThatThrownBy(
                        () ->
                                new SocketPolicyFetcher(
                                                host -> List.of(),
                                                clientTls,
                                                443,
                                                Duration.ofSeconds(1))
                                        .fetch("example.test"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("has no address");
    }

    @Test
    void resolversOverOneCacheShouldFetchOnce() {
        MtaStsCache shared = new MtaStsCache();
        MtaStsResolver.PolicyFetcher fetcher =
                domain -> {
                    fetches.incrementAndGet();
                    return MtaStsPolicy.parse(body);
                };
        new MtaStsResolver(name -> new ArrayList<>(txt), fetcher, clock, shared)
                .resolve("example.test");
        MtaStsResolver.Result second =
                new MtaStsResolver(name -> new ArrayList<>(txt), fetcher, clock, shared)
                        .resolve("example.test");

        assertThat(second.source()).isEqualTo("cached");
        assertThat(fetches.get()).isEqualTo(1);
        assertThat(shared.get("EXAMPLE.test").orElseThrow().id()).isEqualTo("1");
    }

    private MtaStsResolver resolver() {
        return new MtaStsResolver(
                name -> {
                    if (dnsFails) {
                        throw new IOException("SERVFAIL");
                    }
                    assertThat(name).isEqualTo("_mta-sts.example.test");
                    return new ArrayList<>(txt);
                },
                clientTls,
                this::uri,
                Duration.ofSeconds(5),
                clock);
    }

    private URI uri(String domain) {
        return URI.create(
                "https://localhost:" + server.getAddress().getPort() + "/.well-known/mta-sts.txt");
    }

    private static void keytool(String... args) throws Exception {
        String[] command = new String[args.length + 1];
        command[0] = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        System.arraycopy(args, 0, command, 1, args.length);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(new String(output, StandardCharsets.UTF_8)).isZero();
    }

    private static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-11-23T12:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}

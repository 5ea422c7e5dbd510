package dev.mailsec.bench.tls;

import dev.mailsec.tls.connector.Connectors;
import dev.mailsec.tls.connector.ConnectorsFile;
import dev.mailsec.tls.connector.OutboundConnector;
import dev.mailsec.tls.connector.OutboundProbe;
import dev.mailsec.tls.connector.OutboundTlsLevel;
import dev.mailsec.tls.connector.ProbeReport;
import dev.mailsec.tls.connector.SmartHost;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * JMH: what an outbound connector adds per delivery. {@code routeRecipient} is the matcher's lookup
 * (100 connectors). {@code sessionInClear} and {@code sessionStartTlsVerified} open an SMTP session
 * to a loopback partner up to the point where mail would be sent (greeting, EHLO, then QUIT, or
 * STARTTLS, the TLS 1.3 handshake, chain and name checks, then QUIT): their difference is what a
 * {@code verify} connector costs per connection over James's default clear-text delivery, measured
 * side by side in one run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class OutboundConnectorBench {

    private static final String SECRET = "bench-only";

    private Connectors connectors;
    private ServerSocket plainServer;
    private ServerSocket tlsServer;
    private ExecutorService threads;
    private OutboundProbe probe;
    private Path dir;

    @Setup
    public void setUp() throws Exception {
        StringBuilder xml = new StringBuilder("<connectors>");
        for (int i = 0; i < 100; i++) {
            xml.append("<outbound name=\"o")
                    .append(i)
                    .append("\"><recipientDomain>bank")
                    .append(i)
                    .append(".test</recipientDomain><recipientDomain>*.bank")
                    .append(i)
                    .append(".test</recipientDomain><tls level=\"verify\"/></outbound>");
        }
        connectors =
                ConnectorsFile.parse(
                        xml.append("</connectors>").toString().getBytes(StandardCharsets.UTF_8),
                        "bench");

        dir = Files.createTempDirectory("mailsec-bench-tls");
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
                "san=dns:localhost",
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
        SSLContext serverContext = SSLContext.getInstance("TLS");
        serverContext.init(keys.getKeyManagers(), null, null);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        Certificate certificate = store.getCertificate("server");
        trust.setCertificateEntry("server", certificate);
        probe = new OutboundProbe(Duration.ofSeconds(10), trust, "bench.mailsec.test");

        threads = Executors.newCachedThreadPool();
        plainServer = serve(Optional.empty());
        tlsServer = serve(Optional.of(serverContext));
    }

    @TearDown
    public void tearDown() throws Exception {
        plainServer.close();
        tlsServer.close();
        threads.shutdownNow();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Files.delete(file);
            }
        }
        Files.delete(dir);
    }

    @Benchmark
    public Optional<OutboundConnector> routeRecipient() {
        return connectors.outboundFor("mx.bank99.test");
    }

    @Benchmark
    public ProbeReport sessionInClear() {
        return check(
                probe.probe(
                        SmartHost.parse("localhost:" + plainServer.getLocalPort()),
                        OutboundTlsLevel.OPPORTUNISTIC,
                        Optional.empty()));
    }

    @Benchmark
    public ProbeReport sessionStartTlsVerified() {
        return check(
                probe.probe(
                        SmartHost.parse("localhost:" + tlsServer.getLocalPort()),
                        OutboundTlsLevel.VERIFY,
                        Optional.empty()));
    }

    private static ProbeReport check(ProbeReport report) {
        if (!report.wouldDeliver()) {
            throw new IllegalStateException("benchmark partner refused: " + report.decision());
        }
        return report;
    }

    private ServerSocket serve(Optional<SSLContext> tls) throws IOException {
        ServerSocket server = new ServerSocket(0, 100, InetAddress.getLoopbackAddress());
        threads.execute(
                () -> {
                    while (!server.isClosed()) {
                        try {
                            Socket socket = server.accept();
                            // without it, Nagle and delayed ACKs add ~40 ms to the handshake's
                            // small flights on loopback
                            socket.setTcpNoDelay(true);
                            threads.execute(() -> session(socket, tls));
                        } catch (IOException closed) {
                            return;
                        }
                    }
                });
        return server;
    }

    private static void session(Socket plain, Optional<SSLContext> tls) {
        Socket socket = plain;
        try {
            BufferedReader in =
                    new BufferedReader(
                            new InputStreamReader(
                                    socket.getInputStream(), StandardCharsets.US_ASCII));
            OutputStream out = socket.getOutputStream();
            write(out, "220 bench ESMTP");
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("EHLO")) {
                    write(out, tls.isPresent() ? "250-bench\r\n250 STARTTLS" : "250 bench");
                } else if (line.equals("STARTTLS") && tls.isPresent()) {
                    write(out, "220 go ahead");
                    SSLSocket ssl =
                            (SSLSocket)
                                    tls.get()
                                            .getSocketFactory()
                                            .createSocket(socket, null, socket.getPort(), true);
                    ssl.setUseClientMode(false);
                    ssl.startHandshake();
                    socket = ssl;
                    in =
                            new BufferedReader(
                                    new InputStreamReader(
                                            socket.getInputStream(), StandardCharsets.US_ASCII));
                    out = socket.getOutputStream();
                } else if (line.equals("QUIT")) {
                    write(out, "221 bye");
                    break;
                } else {
                    write(out, "502 no");
                }
            }
        } catch (IOException clientWentAway) {
            // next session
        } finally {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closed
            }
        }
    }

    private static void write(OutputStream out, String reply) throws IOException {
        out.write((reply + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static void keytool(String... args) throws Exception {
        String[] command = new String[args.length + 1];
        command[0] = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        System.arraycopy(args, 0, command, 1, args.length);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(
                    "keytool failed: " + new String(output, StandardCharsets.UTF_8));
        }
    }
}

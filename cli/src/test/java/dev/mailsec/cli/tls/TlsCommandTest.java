package dev.mailsec.cli.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsec.cli.MailsecCommand;
import dev.mailsec.dkm.IdentityType;
import dev.mailsec.dkm.KeyManager;
import dev.mailsec.dkm.root.FileRootKeys;
import dev.mailsec.dkm.store.FileStorage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Method;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class TlsCommandTest {

    @TempDir Path dir;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private ServerSocket server;
    private volatile boolean needClientAuth;
    private final List<String> clientSubjects = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopServer() throws IOException {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void remoteDeliveryShouldPrintTransportStepsAndProcessors() throws Exception {
        Path connectors =
                connectors(outbound("bank", "bank.test", "relay.bank.test:2525", "verify"));

        assertThat(run("tls", "--connectors", connectors.toString(), "remote-delivery")).isZero();

        assertThat(out.toString())
                .contains(
                        "<mailet match=\"dev.mailsec.matchers.connector.RecipientConnectorIs=bank\" class=\"ToProcessor\">")
                .contains("<processor state=\"connector-bank\" enableJmx=\"true\">")
                .contains("<gateway>relay.bank.test:2525</gateway>")
                .contains("<mail.smtp.starttls.required>true</mail.smtp.starttls.required>")
                .contains("<bounceProcessor>bounces</bounceProcessor>");
    }

    @Test
    void remoteDeliveryShouldRefuseABounceProcessorTheMailetsWouldRefuse() throws Exception {
        Path connectors =
                connectors(outbound("bank", "bank.test", "relay.bank.test:2525", "verify"));

        assertThat(
                        run(
                                "tls",
                                "--connectors",
                                connectors.toString(),
                                "remote-delivery",
                                "--bounce-processor",
                                "x</bounceProcessor>"))
                .isEqualTo(2);

        assertThat(out.toString()).doesNotContain("<bounceProcessor>");
        assertThat(err.toString())
                .contains(
                        "Invalid value for option '--bounce-processor': must name a processor, got 'x</bounceProcessor>'");
    }

    @Test
    void invalidConnectorsFileShouldFailWithOneLineNamingTheField() throws Exception {
        Path connectors =
                connectors(outbound("bank", "bank.test", "relay.bank.test:2525", "secure"));

        assertThat(run("tls", "--connectors", connectors.toString(), "check", "bank")).isEqualTo(2);

        assertThat(err.toString().trim())
                .doesNotContain("\n")
                .contains(
                        "outbound connector 'bank': level: expected opportunistic, required, verify, mta-sts or dane, got 'secure'");
    }

    @Test
    void checkShouldRefuseATargetThatIsNeitherConnectorNorDomain() throws Exception {
        Path connectors =
                connectors(outbound("bank", "bank.test", "relay.bank.test:2525", "verify"));

        assertThat(run("tls", "--connectors", connectors.toString(), "check", "not a domain"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("'not a domain' is neither an outbound connector");
    }

    @Test
    void checkShouldSayMailWaitsWhenThePartnerOffersNoStartTls() throws Exception {
        int port = startServer(Optional.empty());
        Path connectors =
                connectors(outbound("bank", "bank.test", "127.0.0.1:" + port, "required"));

        assertThat(
                        run(
                                "tls",
                                "--connectors",
                                connectors.toString(),
                                "check",
                                "bank.test",
                                "--no-mta-sts"))
                .isEqualTo(1);

        assertThat(out.toString())
                .contains("connector:   bank (required: STARTTLS required, any certificate)")
                .contains("host:        127.0.0.1:" + port)
                .contains("STARTTLS:  NOT offered")
                .contains(
                        "decision:    mail would wait: STARTTLS not offered; RemoteDelivery retries, then bounces (required)");
    }

    @Test
    void checkOfADomainShouldReportItsMtaStsLookup() throws Exception {
        int port = startServer(Optional.empty());
        Path connectors =
                connectors(outbound("bank", "bank.test", "127.0.0.1:" + port, "opportunistic"));
        int deadDns;
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            deadDns = socket.getLocalPort();
        }

        assertThat(
                        run(
                                "tls",
                                "--connectors",
                                connectors.toString(),
                                "check",
                                "bank.test",
                                "--dns-server",
                                "127.0.0.1:" + deadDns,
                                "--timeout",
                                "2"))
                .isZero();

        assertThat(out.toString())
                .contains("mta-sts:     TXT lookup failed")
                .contains(
                        "decision:    mail would go IN CLEAR: STARTTLS not offered (opportunistic)");
    }

    @Test
    void checkShouldTakeDnsServersAsTheOtherCommandsDo() throws Exception {
        int port = startServer(Optional.empty());
        Path connectors =
                connectors(outbound("bank", "bank.test", "127.0.0.1:" + port, "opportunistic"));
        int deadDns;
        int otherDeadDns;
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
                DatagramSocket other = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            deadDns = socket.getLocalPort();
            otherDeadDns = other.getLocalPort();
        }

        assertThat(
                        run(
                                "tls",
                                "--connectors",
                                connectors.toString(),
                                "check",
                                "bank.test",
                                "--dns",
                                "127.0.0.1:" + deadDns + ",127.0.0.1:" + otherDeadDns,
                                "--timeout",
                                "2"))
                .isZero();

        assertThat(out.toString()).contains("mta-sts:     TXT lookup failed");
        assertThat(
                        run(
                                "tls",
                                "--connectors",
                                connectors.toString(),
                                "check",
                                "bank.test",
                                "--dns",
                                " , "))
                .isEqualTo(2);
        assertThat(err.toString()).contains("--dns: no server given");
    }

    @Test
    void checkShouldVerifyChainAndNameAgainstTheGivenTrustStore() throws Exception {
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
                "test-only");
        Path pem = dir.resolve("trust.pem");
        keytool(
                "-exportcert",
                "-rfc",
                "-alias",
                "server",
                "-keystore",
                keyStore.toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                "test-only",
                "-file",
                pem.toString());
        int port = startServer(Optional.of(serverContext(keyStore)));
        Path connectors =
                connectors(
                        outbound("bank", "bank.test", "localhost:" + port, "verify")
                                + outbound("other", "other.test", "127.0.0.1:" + port, "verify"));

        assertThat(
                        run(
                                "tls",
                                "--connectors",
                                connectors.toString(),
                                "check",
                                "bank",
                                "--trust-store",
                                pem.toString()))
                .as(out.toString())
                .isZero();
        assertThat(out.toString())
                .contains("STARTTLS:  offered")
                .contains("protocol:  TLSv1.3")
                .contains("chain:     CN=localhost (issuer CN=localhost")
                .contains("trust:     trusted")
                .contains("name:      localhost matches DNS:localhost")
                .contains(
                        "decision:    mail would go over TLSv1.3, certificate verified for DNS:localhost");

        out.getBuffer().setLength(0);
        assertThat(
                        run(
                                "tls",
                                "--connectors",
                                connectors.toString(),
                                "check",
                                "other",
                                "--trust-store",
                                pem.toString()))
                .isEqualTo(1);
        assertThat(out.toString())
                .contains("NO name matches 127.0.0.1")
                .contains("mail would wait: certificate not issued for 127.0.0.1");

        out.getBuffer().setLength(0);
        assertThat(run("tls", "--connectors", connectors.toString(), "check", "bank")).isEqualTo(1);
        assertThat(out.toString())
                .contains("trust:     NOT trusted:")
                .contains("mail would wait: certificate chain not trusted");
    }

    @Test
    void checkShouldJudgeAConnectorWithItsOwnTrustStoreAndExpectedName() throws Exception {
        Path keyStore = dir.resolve("relay.p12");
        keytool(
                "-genkeypair",
                "-alias",
                "server",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=relay.partner.test",
                "-ext",
                "san=dns:relay.partner.test",
                "-validity",
                "2",
                "-keystore",
                keyStore.toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                "test-only");
        Path pem = dir.resolve("partner-ca.pem");
        keytool(
                "-exportcert",
                "-rfc",
                "-alias",
                "server",
                "-keystore",
                keyStore.toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                "test-only",
                "-file",
                pem.toString());
        int port = startServer(Optional.of(serverContext(keyStore)));
        Path connectors =
                connectors(
                        "<outbound name=\"named\"><recipientDomain>named.test</recipientDomain><smartHost>localhost:"
                                + port
                                + "</smartHost><tls level=\"verify\" trustStore=\""
                                + pem
                                + "\"><expectedName>relay.partner.test</expectedName>"
                                + "</tls></outbound>"
                                + "<outbound name=\"misnamed\"><recipientDomain>misnamed.test</recipientDomain><smartHost>127.0.0.1:"
                                + port
                                + "</smartHost><tls level=\"verify\" trustStore=\""
                                + pem
                                + "\"><expectedName>mx.partner.test</expectedName>"
                                + "</tls></outbound>");

        assertThat(run("tls", "--connectors", connectors.toString(), "check", "named"))
                .as(out.toString())
                .isZero();
        assertThat(out.toString())
                .contains("trust:     trusted")
                .contains(
                        "decision:    mail would go over TLSv1.3, certificate verified for DNS:relay.partner.test");

        out.getBuffer().setLength(0);
        assertThat(run("tls", "--connectors", connectors.toString(), "check", "misnamed"))
                .isEqualTo(1);
        assertThat(out.toString())
                .contains("mail would wait: certificate not issued for mx.partner.test");
    }

    @Test
    void checkShouldPresentTheConnectorsClientCertificateFromDkmAndSaySo() throws Exception {
        Path serverStore = dir.resolve("relay.p12");
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
                serverStore.toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                "test-only");
        Path clientStore = dir.resolve("client.p12");
        keytool(
                "-genkeypair",
                "-alias",
                "client",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=mailsec.test client,O=mailsec",
                "-validity",
                "2",
                "-keystore",
                clientStore.toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                "test-only");
        KeyStore client = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(clientStore)) {
            client.load(in, "test-only".toCharArray());
        }
        X509Certificate clientCertificate = (X509Certificate) client.getCertificate("client");
        Path dkmConfig =
                dkmWithKeyPair(
                        "tls/partner-bank",
                        (PrivateKey) client.getKey("client", "test-only".toCharArray()),
                        clientCertificate);
        needClientAuth = true;
        int port = startServer(Optional.of(serverContext(serverStore, clientCertificate)));
        Path connectors =
                connectors(
                        "<outbound name=\"bank\"><recipientDomain>bank.test</recipientDomain>"
                                + "<smartHost>localhost:"
                                + port
                                + "</smartHost><tls level=\"required\""
                                + " clientCertificate=\"dkm:tls/partner-bank\"/></outbound>"
                                + "<outbound name=\"nokey\"><recipientDomain>nokey.test</recipientDomain>"
                                + "<smartHost>127.0.0.1:"
                                + port
                                + "</smartHost><tls level=\"required\""
                                + " clientCertificate=\"dkm:tls/missing\"/></outbound>");

        assertThat(
                        run(
                                "tls",
                                "--connectors",
                                connectors.toString(),
                                "check",
                                "bank",
                                "--dkm-config",
                                dkmConfig.toString()))
                .as(out + "\n" + err)
                .isZero();
        assertThat(out.toString())
                .contains(
                        "client:      dkm:tls/partner-bank version 1: CN=mailsec.test client,O=mailsec")
                .contains("presented when a host asks")
                .contains("  client:    presented CN=mailsec.test client,O=mailsec (version 1)")
                .contains("decision:    mail would go over TLSv1.3")
                .doesNotContain("PRIVATE KEY");
        // the server thread records the subject after its side of the handshake, which may end
        // after the check returned
        awaitClientSubjects(1);
        assertThat(clientSubjects).containsExactly("CN=mailsec.test client, O=mailsec");

        out.getBuffer().setLength(0);
        assertThat(
                        run(
                                "tls",
                                "--connectors",
                                connectors.toString(),
                                "check",
                                "nokey",
                                "--dkm-config",
                                dkmConfig.toString()))
                .as(out + "\n" + err)
                .isEqualTo(1);
        assertThat(out.toString())
                .contains("client:      dkm:tls/missing: ")
                .contains("mail would wait: no TLS attempt without the client certificate");
        assertThat(clientSubjects).hasSize(1);
    }

    /**
     * A file DKM store holding {@code secret} (group {@code tls}, readable by identity {@code
     * james-transport}), and the client configuration of that identity, as an operator sets it up.
     */
    private Path dkmWithKeyPair(String secret, PrivateKey key, X509Certificate certificate)
            throws Exception {
        Path root = dir.resolve("dkm");
        Path credential = root.resolve("credentials/james-transport.cred");
        try (FileStorage storage = FileStorage.create(root.resolve("data"));
                KeyManager admin =
                        KeyManager.init(
                                storage,
                                new FileRootKeys(root.resolve("root-keys")),
                                "admin",
                                root.resolve("credentials/admin.cred"),
                                Clock.systemUTC())) {
            admin.createIdentity("james-transport", IdentityType.SERVICE, false, credential);
            admin.createGroup("tls");
            admin.addMember("tls", "james-transport");
            admin.putKeyPair(secret, "tls", key, certificate.getPublicKey(), List.of(certificate));
        }
        return Files.write(
                root.resolve("dkm.properties"),
                List.of(
                        "store=file:" + root.resolve("data"),
                        "identity=" + credential,
                        "cacheTtl=PT5M"));
    }

    private int run(String... args) {
        CommandLine cl = newCommandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    /**
     * The command line exactly as {@code ./mailsec} builds it (one-line error handlers included).
     */
    private static CommandLine newCommandLine() {
        try {
            Method factory = MailsecCommand.class.getDeclaredMethod("newCommandLine");
            factory.setAccessible(true);
            return (CommandLine) factory.invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private Path connectors(String outbound) throws IOException {
        return Files.write(
                dir.resolve("connectors.xml"),
                ("<connectors>" + outbound + "</connectors>").getBytes(StandardCharsets.UTF_8));
    }

    private static String outbound(String name, String domain, String smartHost, String level) {
        return "<outbound name=\""
                + name
                + "\"><recipientDomain>"
                + domain
                + "</recipientDomain><smartHost>"
                + smartHost
                + "</smartHost><tls level=\""
                + level
                + "\"/></outbound>";
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

    private static SSLContext serverContext(Path keyStore) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            store.load(in, "test-only".toCharArray());
        }
        KeyManagerFactory keys =
                KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, "test-only".toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }

    /** As {@link #serverContext(Path)}, trusting only {@code client} for client certificates. */
    private static SSLContext serverContext(Path keyStore, X509Certificate client)
            throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            store.load(in, "test-only".toCharArray());
        }
        KeyManagerFactory keys =
                KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, "test-only".toCharArray());
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("client", client);
        TrustManagerFactory trust =
                TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
        return context;
    }

    /** A one-connection-at-a-time SMTP server: greeting, EHLO, optional STARTTLS, QUIT. */
    private int startServer(Optional<SSLContext> tls) throws IOException {
        server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        Thread thread =
                new Thread(
                        () -> {
                            while (!server.isClosed()) {
                                try (Socket socket = server.accept()) {
                                    serve(socket, tls);
                                } catch (IOException closedOrAborted) {
                                    // next connection, or the test is over
                                }
                            }
                        });
        thread.setDaemon(true);
        thread.start();
        return server.getLocalPort();
    }

    private void serve(Socket plain, Optional<SSLContext> tls) throws IOException {
        Socket socket = plain;
        BufferedReader in =
                new BufferedReader(
                        new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
        OutputStream out = socket.getOutputStream();
        write(out, "220 test ESMTP");
        String line;
        while ((line = in.readLine()) != null) {
            if (line.startsWith("EHLO")) {
                write(out, tls.isPresent() ? "250-test\r\n250 STARTTLS" : "250 test");
            } else if (line.equals("STARTTLS") && tls.isPresent()) {
                write(out, "220 go ahead");
                SSLSocket ssl =
                        (SSLSocket)
                                tls.get()
                                        .getSocketFactory()
                                        .createSocket(socket, null, socket.getPort(), true);
                ssl.setUseClientMode(false);
                ssl.setNeedClientAuth(needClientAuth);
                ssl.startHandshake();
                if (needClientAuth) {
                    clientSubjects.add(
                            ((X509Certificate) ssl.getSession().getPeerCertificates()[0])
                                    .getSubjectX500Principal()
                                    .toString());
                }
                socket = ssl;
                in =
                        new BufferedReader(
                                new InputStreamReader(
                                        socket.getInputStream(), StandardCharsets.US_ASCII));
                out = socket.getOutputStream();
            } else if (line.equals("QUIT")) {
                write(out, "221 bye");
                return;
            } else {
                write(out, "502 no");
            }
        }
    }

    private static void write(OutputStream out, String reply) throws IOException {
        out.write((reply + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** Waits up to 10 s for the test server to have recorded {@code count} client subjects. */
    private void awaitClientSubjects(int count) throws InterruptedException {
        long end = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (clientSubjects.size() < count && System.nanoTime() < end) {
            Thread.sleep(20);
        }
    }
}

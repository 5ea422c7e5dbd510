package dev.mailsec.bench.tls;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The added cost of inbound connector enforcement on the real thing, in one run: two stock James
 * 3.8.1 started by {@code ./mailsec run} from the built pack, the same sample configuration, one of
 * them with {@code conf/connectors.xml} and the {@code EnforceInboundConnectors} hook and {@code
 * CheckInboundConnector} mailet added. A partner sends small messages over STARTTLS (one SMTP
 * session per message, as MTAs do), alternating between the two servers in rounds so that machine
 * noise hits both alike; the medians of the per-message times and their difference are printed.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.mailsec.bench.tls.InboundEnforcementCost [REPO_ROOT] [MESSAGES_PER_ROUND] [ROUNDS]
 * </pre>
 *
 * Needs {@code mvn -DskipTests package -pl dist,james-runtime -am} first.
 */
public final class InboundEnforcementCost {

    private InboundEnforcementCost() {}

    public static void main(String[] args) throws Exception {
        Path repo = Paths.get(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
        int perRound = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        Path work = Files.createTempDirectory("mailsec-connector-cost");
        try (Instance without = Instance.start(repo, work.resolve("without"), false);
                Instance with = Instance.start(repo, work.resolve("with"), true)) {
            SSLContext trustAll = trustAll();
            // the two servers differ as intended: only one refuses partner.test in clear
            String refused = mailFromInClear(with.smtpPort);
            String accepted = mailFromInClear(without.smtpPort);
            if (!refused.startsWith("530 5.7.10") || !accepted.startsWith("250")) {
                throw new IllegalStateException(
                        "unexpected configuration: with=" + refused + " without=" + accepted);
            }
            System.out.println("with connectors, partner.test in clear: " + refused);
            for (int i = 0;
                    i < perRound;
                    i++) { // warm-up: JIT, TLS session machinery, mailbox creation
                send(without.smtpPort, trustAll);
                send(with.smtpPort, trustAll);
            }
            List<Long> timesWithout = new ArrayList<>();
            List<Long> timesWith = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                for (int i = 0; i < perRound; i++) {
                    timesWithout.add(send(without.smtpPort, trustAll));
                }
                for (int i = 0; i < perRound; i++) {
                    timesWith.add(send(with.smtpPort, trustAll));
                }
            }
            double medianWithout = median(timesWithout) / 1e6;
            double medianWith = median(timesWith) / 1e6;
            System.out.printf(
                    Locale.ROOT,
                    "messages per server: %d (%d rounds of %d), one STARTTLS session each%n",
                    timesWith.size(),
                    rounds,
                    perRound);
            System.out.printf(
                    Locale.ROOT, "median per message without connectors: %.3f ms%n", medianWithout);
            System.out.printf(
                    Locale.ROOT, "median per message with connectors:    %.3f ms%n", medianWith);
            System.out.printf(
                    Locale.ROOT,
                    "difference: %+.3f ms (%+.1f %%)%n",
                    medianWith - medianWithout,
                    100 * (medianWith - medianWithout) / medianWithout);
        } finally {
            deleteRecursively(work);
        }
    }

    /** The reply to {@code MAIL FROM:<news@partner.test>} in a clear-text session. */
    static String mailFromInClear(int port) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(30000);
            OutputStream out = socket.getOutputStream();
            Session session = new Session(socket);
            session.expect("220");
            session.command("EHLO partner.test", "250");
            out.write("MAIL FROM:<news@partner.test>\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String reply = session.readReply();
            out.write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return reply;
        }
    }

    /**
     * One SMTP session from partner.test over STARTTLS delivering one small message; nanoseconds.
     */
    static long send(int port, SSLContext tls) throws IOException {
        long start = System.nanoTime();
        try (Socket plain = new Socket(InetAddress.getLoopbackAddress(), port)) {
            plain.setTcpNoDelay(true);
            plain.setSoTimeout(30000);
            Session session = new Session(plain);
            session.expect("220");
            session.command("EHLO partner.test", "250");
            session.command("STARTTLS", "220");
            SSLSocket ssl =
                    (SSLSocket) tls.getSocketFactory().createSocket(plain, "localhost", port, true);
            ssl.startHandshake();
            session = new Session(ssl);
            session.command("EHLO partner.test", "250");
            session.command("MAIL FROM:<news@partner.test>", "250");
            session.command("RCPT TO:<bob@mailsec.test>", "250");
            session.command("DATA", "354");
            session.command(
                    "From: news@partner.test\r\nTo: bob@mailsec.test\r\nSubject: cost\r\n\r\nhello\r\n.",
                    "250");
            session.command("QUIT", "221");
        }
        return System.nanoTime() - start;
    }

    private static final class Session {
        private final BufferedReader in;
        private final OutputStream out;

        Session(Socket socket) throws IOException {
            this.in =
                    new BufferedReader(
                            new InputStreamReader(
                                    socket.getInputStream(), StandardCharsets.US_ASCII));
            this.out = socket.getOutputStream();
        }

        void command(String line, String expected) throws IOException {
            out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            expect(expected);
        }

        void expect(String code) throws IOException {
            String line = readReply();
            if (!line.startsWith(code)) {
                throw new IOException("expected " + code + ", got: " + line);
            }
        }

        /** The last line of the next reply. */
        String readReply() throws IOException {
            String line;
            do {
                line = in.readLine();
                if (line == null) {
                    throw new IOException("connection closed");
                }
            } while (line.length() > 3 && line.charAt(3) == '-');
            return line;
        }
    }

    /** The demo James uses a self-signed certificate; the partner here does not verify it. */
    private static SSLContext trustAll() throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(
                null,
                new TrustManager[] {
                    new X509TrustManager() {
                        @Override
                        public void checkClientTrusted(X509Certificate[] chain, String authType) {
                            // not a server
                        }

                        @Override
                        public void checkServerTrusted(X509Certificate[] chain, String authType) {
                            // benchmark partner: accepts the demo's self-signed certificate
                        }

                        @Override
                        public X509Certificate[] getAcceptedIssuers() {
                            return new X509Certificate[0];
                        }
                    }
                },
                null);
        return context;
    }

    private static double median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    /** One {@code ./mailsec run} from a private copy of the launcher and configuration. */
    private static final class Instance implements AutoCloseable {
        final Process process;
        final int smtpPort;

        private Instance(Process process, int smtpPort) {
            this.process = process;
            this.smtpPort = smtpPort;
        }

        static Instance start(Path repo, Path root, boolean connectors) throws Exception {
            Files.createDirectories(root.resolve("conf"));
            Files.copy(repo.resolve("mailsec"), root.resolve("mailsec"));
            Files.copy(repo.resolve("pom.xml"), root.resolve("pom.xml"));
            Files.createSymbolicLink(root.resolve("dist"), repo.resolve("dist"));
            Files.createSymbolicLink(root.resolve("james-runtime"), repo.resolve("james-runtime"));
            Files.createSymbolicLink(root.resolve("cli"), repo.resolve("cli"));
            try (Stream<Path> files = Files.list(repo.resolve("conf"))) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    Files.copy(file, root.resolve("conf").resolve(file.getFileName()));
                }
            }
            if (connectors) {
                addConnectors(root.resolve("conf"));
            }
            int smtp = freePort();
            ProcessBuilder builder =
                    new ProcessBuilder("bash", root.resolve("mailsec").toString(), "run")
                            .directory(root.toFile())
                            .redirectErrorStream(true)
                            .redirectOutput(root.resolve("run.log").toFile());
            builder.environment().put("MAILSEC_HOME", root.resolve("home").toString());
            builder.environment().put("MAILSEC_NO_BUILD", "1");
            builder.environment().put("MAILSEC_SMTP_PORT", Integer.toString(smtp));
            builder.environment().put("MAILSEC_SMTPS_PORT", Integer.toString(freePort()));
            builder.environment().put("MAILSEC_IMAP_PORT", Integer.toString(freePort()));
            builder.environment().put("MAILSEC_WEBADMIN_PORT", Integer.toString(freePort()));
            builder.environment().put("MAILSEC_HEAP", "384m");
            Process process = builder.start();
            Instant deadline = Instant.now().plus(Duration.ofSeconds(240));
            while (!Files.readString(root.resolve("run.log"))
                    .contains("with the mailsec pack is running")) {
                if (!process.isAlive() || Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException(
                            "James did not start:\n" + Files.readString(root.resolve("run.log")));
                }
                Thread.sleep(250);
            }
            return new Instance(process, smtp);
        }

        private static void addConnectors(Path conf) throws IOException {
            Files.writeString(
                    conf.resolve("connectors.xml"),
                    "<connectors>\n"
                            + "  <inbound name=\"partner\"><senderDomain>partner.test</senderDomain>"
                            + "<requires tls=\"true\" minimumProtocol=\"TLSv1.2\"/></inbound>\n"
                            + "</connectors>\n");
            Path smtp = conf.resolve("smtpserver.xml");
            String hook =
                    "<handler class=\"dev.mailsec.smtp.connector.EnforceInboundConnectors\">"
                            + "<connectors>file://conf/connectors.xml</connectors></handler>\n"
                            + "        </handlerchain>";
            Files.writeString(smtp, Files.readString(smtp).replace("</handlerchain>", hook));
            Path container = conf.resolve("mailetcontainer.xml");
            String mailet =
                    "<mailet match=\"All\" class=\"dev.mailsec.mailets.connector.CheckInboundConnector\">"
                            + "<connectors>file://conf/connectors.xml</connectors>"
                            + "<violationProcessor>error</violationProcessor></mailet>\n"
                            + "            <mailet match=\"RelayLimit=30\" class=\"Null\"/>";
            Files.writeString(
                    container,
                    Files.readString(container)
                            .replaceFirst(
                                    "<mailet match=\"RelayLimit=30\" class=\"Null\"/>", mailet));
        }

        @Override
        public void close() throws Exception {
            List<ProcessHandle> children = new ArrayList<>();
            process.descendants().forEach(children::add);
            process.destroy(); // the launcher's trap stops James through its shutdown hook
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            children.forEach(ProcessHandle::destroyForcibly);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            List<Path> all = new ArrayList<>();
            paths.forEach(all::add);
            Collections.reverse(all);
            for (Path path : all) {
                Files.deleteIfExists(path);
            }
        }
    }
}

package dev.mailsec.it.harness;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.mail.Folder;
import javax.mail.Message;
import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.Store;
import javax.mail.Transport;
import javax.mail.internet.MimeMessage;

/**
 * The stock James 3.8.1 memory distribution (james-runtime's unpacked zip plus the library folder
 * its launcher's manifest names) in a folder of the test, with the pack installed as INSTALL.md
 * installs it ({@code bin/mailsec install --james-home ...}), the portal and James started as
 * processes as INSTALL.md starts them. Ports are free ones picked at creation; {@link
 * #useFreeServerPorts()} writes them into James's own files (the only edits outside INSTALL.md).
 *
 * <p>Typical use:
 *
 * <pre>{@code
 * InstalledJames james = InstalledJames.stock(work, "example.test", InstalledJames.bundledMailsec());
 * james.useFreeServerPorts();
 * james.install(james.sampleFlags("example.test"));
 * james.startPortal();
 * james.startJames();
 * james.addDomain("example.test"); james.addUser("bob@example.test", "secret");
 * }</pre>
 */
public final class InstalledJames implements AutoCloseable {

    /** The unpacked bundle (dist/target/mailsec-VERSION), as surefire names it. */
    public static final Path BUNDLE_DIR = Paths.get(System.getProperty("mailsec.bundle.dir"));

    private static final Path RUNTIME = Paths.get(System.getProperty("mailsec.james.home"));

    private final Path work;
    private final Path home;
    private final Path mailsec;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /** SMTP with STARTTLS offered (the sample's {@code --smtp-listen}). */
    public final int smtpPort;

    /** SMTP with implicit TLS ({@code --smtps-listen}). */
    public final int smtpsPort;

    public final int imapPort;
    public final int webAdminPort;

    /** Where the portal listens ({@code --portal-listen}, also its {@code --portal-url}). */
    public final int portalPort;

    private Process james;
    private Process portal;
    private String jamesMemory = "-Xmx384m";
    private String webAdminBearer;

    private InstalledJames(Path work, Path home, Path mailsec) throws IOException {
        this.work = work;
        this.home = home;
        this.mailsec = mailsec;
        this.smtpPort = freePort();
        this.smtpsPort = freePort();
        this.imapPort = freePort();
        this.webAdminPort = freePort();
        this.portalPort = freePort();
        // a test JVM that ends without close() (a failed start, a killed run) leaves no James
        // behind
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    for (Process p : new Process[] {james, portal}) {
                                        if (p != null) {
                                            p.destroyForcibly();
                                        }
                                    }
                                }));
    }

    /** {@code bin/mailsec} of the bundle folder the build made. */
    public static Path bundledMailsec() {
        return BUNDLE_DIR.resolve("bin/mailsec");
    }

    /**
     * INSTALL.md step 1: unzips the bundle's zip into {@code work/mailsec}; returns its {@code
     * bin/mailsec}.
     */
    public static Path unzipBundle(Path work) throws Exception {
        Path bundle = work.resolve("mailsec");
        Path zip = BUNDLE_DIR.resolveSibling(BUNDLE_DIR.getFileName() + ".zip");
        run(work, "unzip", "-q", zip.toString(), "-d", bundle.toString());
        return bundle.resolve("bin/mailsec");
    }

    /**
     * The operator's James in {@code work/james}: the stock distribution with its library folder,
     * and the keystore its own stock configuration needs (INSTALL.md, "What you need"), for {@code
     * CN=keystoreName}.
     */
    public static InstalledJames stock(Path work, String keystoreName, Path mailsec)
            throws Exception {
        Path home = work.resolve("james");
        copyTree(RUNTIME.resolve("unpacked/james-server-memory-app"), home);
        copyTree(RUNTIME.resolve("lib"), home.resolve("james-server-memory-app.lib"));
        run(
                home,
                "keytool",
                "-genkeypair",
                "-alias",
                "james",
                "-keyalg",
                "RSA",
                "-storetype",
                "PKCS12",
                "-keystore",
                "conf/keystore",
                "-storepass",
                "james72laBalle",
                "-dname",
                "CN=" + keystoreName);
        return new InstalledJames(work, home, mailsec);
    }

    /**
     * A JWT the harness's own WebAdmin calls (start's health check, domains, users) carry, for a
     * James whose {@code webadmin.properties} has {@code jwt.enabled=true}.
     */
    public void webAdminBearer(String token) {
        this.webAdminBearer = token;
    }

    /** James's home. */
    public Path home() {
        return home;
    }

    /** The test's folder (logs {@code james.out}, {@code portal.out}). */
    public Path work() {
        return work;
    }

    /** {@code bin/mailsec} this installation is made and run with. */
    public Path mailsec() {
        return mailsec;
    }

    /** Sets James's heap option (default {@code -Xmx384m}) for the next {@link #startJames()}. */
    public void jamesMemory(String option) {
        this.jamesMemory = option;
    }

    /**
     * Puts the free ports into James's own files: IMAP (the STARTTLS port and 993's), WebAdmin;
     * JMAP and JMX off.
     */
    public void useFreeServerPorts() throws IOException {
        edit(home.resolve("conf/imapserver.xml"), "0.0.0.0:143", "127.0.0.1:" + imapPort);
        edit(home.resolve("conf/imapserver.xml"), "0.0.0.0:993", "127.0.0.1:" + freePort());
        edit(home.resolve("conf/webadmin.properties"), "port=8000", "port=" + webAdminPort);
        edit(home.resolve("conf/jmap.properties"), "enabled=true", "enabled=false");
        edit(home.resolve("conf/jmx.properties"), "jmx.enabled=true", "jmx.enabled=false");
    }

    /**
     * {@code --domain D --sample-pipeline} with this installation's SMTP, SMTPS and portal ports.
     */
    public List<String> sampleFlags(String domain) {
        return List.of(
                "--domain",
                domain,
                "--sample-pipeline",
                "--smtp-listen",
                "127.0.0.1:" + smtpPort,
                "--smtps-listen",
                "127.0.0.1:" + smtpsPort,
                "--portal-url",
                "http://127.0.0.1:" + portalPort,
                "--portal-listen",
                "127.0.0.1:" + portalPort);
    }

    /** The argument vector of {@code bin/mailsec install --james-home HOME FLAGS}. */
    public List<String> installCommand(List<String> flags) {
        List<String> argv = new ArrayList<>();
        argv.add(mailsec.toString());
        argv.add("install");
        argv.add("--james-home");
        argv.add(home.toString());
        argv.addAll(flags);
        return argv;
    }

    /**
     * Runs {@code bin/mailsec install --james-home HOME FLAGS} from the test's folder; asserts exit
     * 0 and returns its output.
     */
    public String install(List<String> flags) throws Exception {
        return run(work, installCommand(flags).toArray(new String[0]));
    }

    /**
     * INSTALL.md step 4, from another folder ({@code --james-home} is the base of its paths);
     * returns once {@code /healthz} answers 200 (180 s at most: under other builds on the shared
     * 2-core machine a restart took more than 60 s).
     */
    public void startPortal() throws Exception {
        portal =
                new ProcessBuilder(
                                mailsec.toString(),
                                "portal",
                                "--james-home",
                                home.toString(),
                                "--config",
                                "conf/rights.xml",
                                "--dkm-config",
                                "conf/portal-dkm.properties")
                        .directory(work.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(
                                ProcessBuilder.Redirect.appendTo(
                                        work.resolve("portal.out").toFile()))
                        .start();
        awaitOk(portalUrl() + "/healthz", portal, "portal.out", 180);
    }

    /** {@code http://127.0.0.1:PORT} of the portal. */
    public String portalUrl() {
        return "http://127.0.0.1:" + portalPort;
    }

    /** The portal's process (null when not started). */
    public Process portalProcess() {
        return portal;
    }

    /** Kills the portal as a crash would (SIGKILL) and waits for it to be gone. */
    public void killPortal() throws InterruptedException {
        portal.destroyForcibly();
        assertThat(portal.waitFor(30, TimeUnit.SECONDS)).as("portal killed").isTrue();
    }

    /**
     * INSTALL.md step 5: {@code java -jar james-server-memory-app.jar} from James's home; returns
     * once WebAdmin's {@code /healthcheck} answers 200 (300 s at most: two James JVMs starting at
     * once on the shared 2-core machine, under other builds, took more than 180 s).
     */
    public void startJames() throws Exception {
        james =
                new ProcessBuilder(
                                "java",
                                jamesMemory,
                                "-Dworking.directory=.",
                                "-Dlogback.configurationFile=conf/logback.xml",
                                "-jar",
                                "james-server-memory-app.jar")
                        .directory(home.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(
                                ProcessBuilder.Redirect.appendTo(
                                        work.resolve("james.out").toFile()))
                        .start();
        awaitOk(webAdminUrl() + "/healthcheck", james, "james.out", 300);
    }

    /** The James JVM's process id, for readings from {@code /proc}. */
    public long jamesPid() {
        return james.pid();
    }

    /** The James JVM (null when not started). */
    public Process jamesProcess() {
        return james;
    }

    /** {@code http://127.0.0.1:PORT} of James's WebAdmin. */
    public String webAdminUrl() {
        return "http://127.0.0.1:" + webAdminPort;
    }

    /** The operator's WebAdmin calls on held mail and queues. */
    public WebAdmin webAdmin() {
        return new WebAdmin(webAdminPort);
    }

    /** {@code PUT /domains/D} (204 expected). */
    public void addDomain(String domain) throws Exception {
        assertThat(put("/domains/" + domain, null)).as("PUT domain %s", domain).isEqualTo(204);
    }

    /** {@code PUT /users/U} with the password (204 expected). */
    public void addUser(String user, String password) throws Exception {
        assertThat(put("/users/" + user, "{\"password\":\"" + password + "\"}"))
                .as("PUT user %s", user)
                .isEqualTo(204);
    }

    private int put(String path, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(webAdminUrl() + path));
        if (webAdminBearer != null) {
            b.header("Authorization", "Bearer " + webAdminBearer);
        }
        if (json == null) {
            b.PUT(HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(json));
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    /** One text mail over SMTP (STARTTLS required if asked, install's self-signed certificate). */
    public void send(String from, String to, String subject, String body, boolean startTls)
            throws MessagingException {
        Properties props = new Properties();
        props.put("mail.smtp.host", "127.0.0.1");
        props.put("mail.smtp.port", Integer.toString(smtpPort));
        if (startTls) {
            props.put("mail.smtp.starttls.enable", "true");
            props.put("mail.smtp.starttls.required", "true");
            props.put("mail.smtp.ssl.trust", "*"); // install's self-signed certificate
        }
        MimeMessage m = new MimeMessage(Session.getInstance(props));
        m.setFrom(from);
        m.setRecipients(Message.RecipientType.TO, to);
        m.setSubject(subject);
        m.setText(body);
        Transport.send(m);
    }

    /**
     * An IMAP session for this James: STARTTLS required, install's certificate trusted; a reply
     * that does not come within 120 s fails the read (a FaultsEndToEndTest count once waited on a
     * FETCH reply James never sent, with James idle, until the run was stopped).
     */
    public Session imapSession() {
        Properties props = new Properties();
        props.put("mail.imap.connectiontimeout", "30000");
        props.put("mail.imap.timeout", "120000");
        props.put("mail.imap.starttls.enable", "true");
        props.put("mail.imap.starttls.required", "true");
        props.put("mail.imap.ssl.trust", "*");
        return Session.getInstance(props);
    }

    /**
     * The message with this subject from the user's INBOX (password {@code secret}), read over IMAP
     * with STARTTLS; waits up to 60 s.
     */
    public MimeMessage read(String user, String subject) throws Exception {
        Session session = imapSession();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline)) {
            Store store = session.getStore("imap");
            store.connect("127.0.0.1", imapPort, user, "secret");
            try {
                Folder inbox = store.getFolder("INBOX");
                inbox.open(Folder.READ_ONLY);
                for (Message msg : inbox.getMessages()) {
                    if (subject.equals(msg.getSubject())) {
                        MimeMessage copy = new MimeMessage((MimeMessage) msg);
                        inbox.close(false);
                        return copy;
                    }
                }
                inbox.close(false);
            } finally {
                store.close();
            }
            Thread.sleep(500);
        }
        throw new AssertionError(
                "no '"
                        + subject
                        + "' in "
                        + user
                        + "'s INBOX; James's output:\n"
                        + tail("james.out"));
    }

    /** Stops James (SIGTERM, then SIGKILL after 60 s). */
    public void stopJames() throws InterruptedException {
        stop(james);
        james = null;
    }

    /** Stops the portal (SIGTERM, then SIGKILL after 60 s). */
    public void stopPortal() throws InterruptedException {
        stop(portal);
        portal = null;
    }

    /** Stops the portal and James. */
    @Override
    public void close() throws InterruptedException {
        stopPortal();
        stopJames();
    }

    private static void stop(Process p) throws InterruptedException {
        if (p != null) {
            p.destroy();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    /** The last 6,000 characters of a log in the test's folder. */
    public String tail(String log) {
        try {
            String s = Files.readString(work.resolve(log));
            return s.length() > 6000 ? s.substring(s.length() - 6000) : s;
        } catch (IOException e) {
            return "(no " + log + ")";
        }
    }

    /** Polls the URL until it answers 200, the process staying alive, within {@code seconds}. */
    public void awaitOk(String url, Process process, String log, int seconds) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(seconds));
        while (true) {
            assertThat(process.isAlive()).as("exited during start:%n%s", tail(log)).isTrue();
            try {
                HttpRequest.Builder request =
                        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
                if (webAdminBearer != null && url.startsWith(webAdminUrl())) {
                    request.header("Authorization", "Bearer " + webAdminBearer);
                }
                if (http.send(request.build(), HttpResponse.BodyHandlers.ofString()).statusCode()
                        == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            assertThat(Instant.now())
                    .as("%s not healthy in %d s:%n%s", url, seconds, tail(log))
                    .isBefore(deadline);
            Thread.sleep(500);
        }
    }

    /** Runs a command in {@code dir}; asserts exit 0 within 300 s and returns its output. */
    public static String run(Path dir, String... argv) throws Exception {
        Process p =
                new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), UTF_8);
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("%s%n%s", List.of(argv), out).isZero();
        return out;
    }

    /** Replaces every {@code from} with {@code to} in the file, asserting it is there. */
    public static void edit(Path file, String from, String to) throws IOException {
        String s = Files.readString(file);
        assertThat(s).as(file.toString()).contains(from);
        Files.writeString(file, s.replace(from, to));
    }

    /** Replaces the first match of the regular expression in the file, asserting there is one. */
    public static void editFirst(Path file, String regex, String replacement) throws IOException {
        String s = Files.readString(file);
        Matcher m = Pattern.compile(regex).matcher(s);
        assertThat(m.find()).as("%s in %s", regex, file).isTrue();
        Files.writeString(file, m.replaceFirst(Matcher.quoteReplacement(replacement)));
    }

    /** Copies a folder tree, keeping attributes (modes). */
    public static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    /**
     * A port free on loopback now, below Linux's ephemeral range (32768-60999): a port from that
     * range can be taken by any outgoing connection (a JDBC or SMTP client) between this choice and
     * James binding it, which happened in ClusterTest with two nodes starting.
     */
    public static int freePort() throws IOException {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < 50; i++) {
            int port = random.nextInt(20000, 32000);
            try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                return s.getLocalPort();
            } catch (IOException taken) {
                // another one
            }
        }
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}

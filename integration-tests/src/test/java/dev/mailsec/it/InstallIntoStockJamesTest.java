package dev.mailsec.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.ByteArrayOutputStream;
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
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.mail.Folder;
import javax.mail.Message;
import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.Store;
import javax.mail.Transport;
import javax.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * INSTALL.md, followed literally on the stock James 3.8.1 memory distribution (james-runtime's
 * unpacked zip plus the library folder its launcher's manifest names): unzip the bundle, {@code
 * bin/mailsec install --james-home ... --domain example.test --sample-pipeline}, start James with
 * {@code java -jar} from its home and the portal as documented, then mail over SMTP and read it
 * over IMAP as a user would. The only edits outside what INSTALL.md says are ports (free ones, so
 * the test runs beside others) in James's own files.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InstallIntoStockJamesTest {

    private static final Path BUNDLE_DIR = Paths.get(System.getProperty("mailsec.bundle.dir"));
    private static final Path RUNTIME = Paths.get(System.getProperty("mailsec.james.home"));

    @TempDir static Path work;
    private static Path bundle;
    private static Path james;
    private static Process jamesProcess;
    private static Process portalProcess;
    private static int smtpPort;
    private static int imapPort;
    private static int webadminPort;
    private static int portalPort;
    private static List<String> installArgs;
    private static Duration firstInstall;
    private static Duration firstStart;
    private static Duration secondInstall;
    private static Duration checkTime;

    @BeforeAll
    static void followInstallMd() throws Exception {
        // 0. the operator's James: the stock distribution with its library folder, and the keystore
        // its own
        //    stock configuration needs (INSTALL.md, "What you need")
        james = work.resolve("james");
        copyTree(RUNTIME.resolve("unpacked/james-server-memory-app"), james);
        copyTree(RUNTIME.resolve("lib"), james.resolve("james-server-memory-app.lib"));
        run(
                james,
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
                "CN=mail.example.test");
        smtpPort = freePort();
        int smtpsPort = freePort();
        imapPort = freePort();
        webadminPort = freePort();
        portalPort = freePort();
        edit(james.resolve("conf/imapserver.xml"), "0.0.0.0:143", "127.0.0.1:" + imapPort);
        edit(james.resolve("conf/imapserver.xml"), "0.0.0.0:993", "127.0.0.1:" + freePort());
        edit(james.resolve("conf/webadmin.properties"), "port=8000", "port=" + webadminPort);
        edit(james.resolve("conf/jmap.properties"), "enabled=true", "enabled=false");
        edit(james.resolve("conf/jmx.properties"), "jmx.enabled=true", "jmx.enabled=false");

        // 1. unzip the bundle
        bundle = work.resolve("mailsec");
        Path zip = BUNDLE_DIR.resolveSibling(BUNDLE_DIR.getFileName() + ".zip");
        run(work, "unzip", "-q", zip.toString(), "-d", bundle.toString());
        assertThat(bundle.resolve("bin/mailsec")).isExecutable();
        assertThat(bundle.resolve("INSTALL.md")).isRegularFile();

        // 2. install
        installArgs =
                List.of(
                        bundle.resolve("bin/mailsec").toString(),
                        "install",
                        "--james-home",
                        james.toString(),
                        "--domain",
                        "example.test",
                        "--sample-pipeline",
                        "--smtp-listen",
                        "127.0.0.1:" + smtpPort,
                        "--smtps-listen",
                        "127.0.0.1:" + smtpsPort,
                        "--portal-url",
                        "http://127.0.0.1:" + portalPort,
                        "--portal-listen",
                        "127.0.0.1:" + portalPort);
        Instant t0 = Instant.now();
        String out = run(work, installArgs.toArray(new String[0]));
        firstInstall = Duration.between(t0, Instant.now());
        assertThat(out)
                .contains("rsa-v1._domainkey.example.test. IN TXT \"v=DKIM1; k=rsa; p=")
                .contains("ed25519-v1._domainkey.example.test.")
                .contains("change(s) made");

        // (3. DNS: the records install printed are the zone the check reads,
        // var/mailsec/dkim-records.txt)
        // 4. the portal, as INSTALL.md starts it; from another folder: --james-home is the base of
        // its paths
        HttpClient http = HttpClient.newHttpClient();
        portalProcess =
                new ProcessBuilder(
                                bundle.resolve("bin/mailsec").toString(),
                                "portal",
                                "--james-home",
                                james.toString(),
                                "--config",
                                "conf/rights.xml",
                                "--dkm-config",
                                "conf/portal-dkm.properties")
                        .directory(work.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(work.resolve("portal.out").toFile())
                        .start();
        awaitOk(
                http,
                "http://127.0.0.1:" + portalPort + "/healthz",
                portalProcess,
                "portal.out",
                60);

        // 5. check, then start James from its home as INSTALL.md (and James's docs) start it
        Instant tc = Instant.now();
        String checked = run(work, check(james).toArray(new String[0]));
        checkTime = Duration.between(tc, Instant.now());
        assertThat(checked)
                .contains(
                        "ok mailet relay/SignDkim",
                        "ok hook smtpserver-global/EnforceInboundConnectors",
                        "ok secret rights/content-key",
                        "ok dkim rsa-v1._domainkey.example.test",
                        "ok portal http://127.0.0.1:" + portalPort)
                .containsPattern("(?m)^passed: \\d+ checks, \\d+ ok, \\d+ warnings, 0 errors");
        Instant t1 = Instant.now();
        jamesProcess =
                new ProcessBuilder(
                                "java",
                                "-Xmx384m",
                                "-Dworking.directory=.",
                                "-Dlogback.configurationFile=conf/logback.xml",
                                "-jar",
                                "james-server-memory-app.jar")
                        .directory(james.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(work.resolve("james.out").toFile())
                        .start();
        awaitOk(
                http,
                "http://127.0.0.1:" + webadminPort + "/healthcheck",
                jamesProcess,
                "james.out",
                180);
        firstStart = Duration.between(t1, Instant.now());
        for (String domain : List.of("example.test", "external.test")) {
            assertThat(
                            http.send(
                                            HttpRequest.newBuilder(
                                                            URI.create(
                                                                    "http://127.0.0.1:"
                                                                            + webadminPort
                                                                            + "/domains/"
                                                                            + domain))
                                                    .PUT(HttpRequest.BodyPublishers.noBody())
                                                    .build(),
                                            HttpResponse.BodyHandlers.ofString())
                                    .statusCode())
                    .isEqualTo(204);
        }
        for (String user :
                List.of("alice@example.test", "bob@example.test", "carol@external.test")) {
            assertThat(
                            http.send(
                                            HttpRequest.newBuilder(
                                                            URI.create(
                                                                    "http://127.0.0.1:"
                                                                            + webadminPort
                                                                            + "/users/"
                                                                            + user))
                                                    .header("Content-Type", "application/json")
                                                    .PUT(
                                                            HttpRequest.BodyPublishers.ofString(
                                                                    "{\"password\":\"secret\"}"))
                                                    .build(),
                                            HttpResponse.BodyHandlers.ofString())
                                    .statusCode())
                    .isEqualTo(204);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        for (Process p : new Process[] {portalProcess, jamesProcess}) {
            if (p != null) {
                p.destroy();
                if (!p.waitFor(60, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
        }
        System.out.printf(
                "InstallIntoStockJamesTest: first install %d ms, check %d ms, James's first start %d ms,"
                        + " second install %s%n",
                firstInstall == null ? -1 : firstInstall.toMillis(),
                checkTime == null ? -1 : checkTime.toMillis(),
                firstStart == null ? -1 : firstStart.toMillis(),
                secondInstall == null ? "not run" : secondInstall.toMillis() + " ms");
    }

    @Test
    @Order(1)
    void secondInstallShouldChangeNothingAndSaySo() throws Exception {
        Map<String, String> before = snapshot();
        Instant t0 = Instant.now();
        String out = run(work, installArgs.toArray(new String[0]));
        secondInstall = Duration.between(t0, Instant.now());
        assertThat(out).contains("nothing changed: the pack was already installed as asked");
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    @Order(2)
    void installShouldKeepEveryCredentialAndKeyForItsOwnerOnly() throws IOException {
        for (String f :
                List.of(
                        "var/mailsec/credentials/james-transport.cred",
                        "var/mailsec/credentials/rights-portal.cred",
                        "var/mailsec/dkm/credentials/admin.cred",
                        "conf/dkm.properties",
                        "conf/portal-dkm.properties",
                        "conf/keystore.p12",
                        "conf/smtpserver.xml",
                        "var/mailsec/keystore.secret")) {
            assertThat(
                            PosixFilePermissions.toString(
                                    Files.getPosixFilePermissions(james.resolve(f))))
                    .as(f)
                    .isEqualTo("rw-------");
        }
        for (String d :
                List.of("var/mailsec", "var/mailsec/credentials", "var/mailsec/dkm-root-keys")) {
            assertThat(
                            PosixFilePermissions.toString(
                                    Files.getPosixFilePermissions(james.resolve(d))))
                    .as(d)
                    .isEqualTo("rwx------");
        }
        assertThat(Files.readString(james.resolve("conf/mailetcontainer.xml")))
                .contains("<authservId>example.test</authservId>")
                .contains("SenderHostIs=example.test")
                .doesNotContain("SenderHostIs=mailsec.test");
        assertThat(james.resolve("conf/mailetcontainer.xml.before-mailsec")).isRegularFile();
    }

    @Test
    @Order(3)
    void mailOverStartTlsShouldGetTheTlsAndAuthenticationResultsHeaders() throws Exception {
        send("alice@example.test", "bob@example.test", "install-starttls", "hello over TLS", true);
        MimeMessage m = read("bob@example.test", "install-starttls");
        assertThat(m.getHeader("X-Mailsec-TLS", null)).startsWith("TLSv1.").contains("cipher=");
        assertThat(m.getHeader("X-Mailsec-Transport", null))
                .isEqualTo("encrypted (TLSv1.2 or newer)");
        assertThat(m.getHeader("Authentication-Results", null).replaceAll("\\s+", " "))
                .isEqualTo("example.test; dkim=none");
    }

    @Test
    @Order(4)
    void clearMailFromTheSamplePartnerShouldBeRefusedAtSmtpTime() {
        Throwable refused =
                catchThrowable(
                        () ->
                                send(
                                        "news@partner.test",
                                        "bob@example.test",
                                        "install-partner-clear",
                                        "hi",
                                        false));
        assertThat(refused).isInstanceOf(MessagingException.class);
        assertThat(String.valueOf(refused.getMessage()) + " " + causes(refused))
                .contains("530")
                .contains("5.7.10")
                .contains("partner");
    }

    @Test
    @Order(5)
    void encryptedMailToAnOutsideRecipientShouldArriveAsAWrapperWhoseLinkOpensInThePortal()
            throws Exception {
        send(
                "alice@example.test",
                "carol@external.test",
                "[encrypt] install-portal",
                "install secret 5KQ9 in the body",
                true);
        MimeMessage wrapper = read("carol@external.test", "[encrypt] install-portal");
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        wrapper.writeTo(raw);
        String text = raw.toString(UTF_8);
        assertThat(text).doesNotContain("5KQ9").contains("message.mailsec");
        Matcher link =
                Pattern.compile("http://127\\.0\\.0\\.1:" + portalPort + "/m/[A-Za-z0-9_-]+")
                        .matcher(text);
        assertThat(link.find()).as("portal link in%n%s", text).isTrue();
        HttpResponse<String> page =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(URI.create(link.group())).build(),
                                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("alice@example.test sent you a protected message");
    }

    @Test
    @Order(6)
    void checkShouldNameAMisspeltParameterAMissingSecretAndAConnectorWithoutARouteInABrokenCopy()
            throws Exception {
        Path broken = work.resolve("broken");
        Files.createDirectories(broken);
        for (String shared :
                List.of(
                        "james-server-memory-app.lib",
                        "james-server-memory-app.jar",
                        "extensions-jars",
                        "var")) {
            Files.createSymbolicLink(broken.resolve(shared), james.resolve(shared));
        }
        copyTree(james.resolve("conf"), broken.resolve("conf"));
        Path mailetcontainer = broken.resolve("conf/mailetcontainer.xml");
        Files.writeString(
                mailetcontainer,
                Files.readString(mailetcontainer)
                        .replaceFirst(
                                "<algorithms>both</algorithms>",
                                "<algorithms>both</algorithms><selecter>rsa-v1</selecter>"));
        edit(
                broken.resolve("conf/rights.xml"),
                "<subject mode",
                "<keys contentKey=\"rights/retired-content-key\"/><subject mode");
        String mailets = Files.readString(broken.resolve("conf/mailetcontainer.xml"));
        Matcher route =
                Pattern.compile(
                                "<mailet match=\"dev\\.mailsec\\.matchers\\.connector\\.RecipientConnectorIs=\\*\""
                                        + " class=\"ToProcessor\">\\s*<processor>connectors-outbound</processor>\\s*</mailet>")
                        .matcher(mailets);
        assertThat(route.find()).as("the sample's outbound route").isTrue();
        Files.writeString(broken.resolve("conf/mailetcontainer.xml"), route.replaceFirst(""));

        Process p =
                new ProcessBuilder(check(broken))
                        .directory(work.toFile())
                        .redirectErrorStream(true)
                        .start();
        String out = new String(p.getInputStream().readAllBytes(), UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();

        assertThat(p.exitValue()).as(out).isEqualTo(1);
        List<String> errors =
                out.lines().filter(l -> l.startsWith("error ")).collect(Collectors.toList());
        assertThat(errors).as(out).hasSize(3);
        assertThat(errors.get(0))
                .startsWith("error mailet relay/SignDkim: SignDkim: unknown parameter 'selecter'");
        assertThat(errors)
                .anySatisfy(
                        e ->
                                assertThat(e)
                                        .startsWith(
                                                "error connectors file://conf/connectors.xml: outbound connector 'partner-out' of ")
                                        .contains("has no route"));
        assertThat(errors)
                .anySatisfy(
                        e ->
                                assertThat(e)
                                        .startsWith(
                                                "error secret rights/retired-content-key (rights conf/rights.xml): no such secret in DKM"));
        assertThat(out)
                .containsPattern("(?m)^FAILED: \\d+ checks, \\d+ ok, \\d+ warnings, 3 errors");
    }

    /**
     * INSTALL.md step 5: {@code bin/mailsec check}, with the records install printed as the zone
     * (DNS not yet live).
     */
    private static List<String> check(Path home) {
        return List.of(
                bundle.resolve("bin/mailsec").toString(),
                "check",
                "--james-home",
                home.toString(),
                "--zone",
                james.resolve("var/mailsec/dkim-records.txt").toString());
    }

    private static void send(String from, String to, String subject, String body, boolean startTls)
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
     * The message with this subject from the user's INBOX, read over IMAP with STARTTLS; waits up
     * to 60 s.
     */
    private static MimeMessage read(String user, String subject) throws Exception {
        Properties props = new Properties();
        props.put("mail.imap.starttls.enable", "true");
        props.put("mail.imap.starttls.required", "true");
        props.put("mail.imap.ssl.trust", "*");
        Session session = Session.getInstance(props);
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

    /**
     * Size, mode and SHA-256 of every file the installer owns, with its mtime: a rewrite shows even
     * with equal bytes.
     */
    private static Map<String, String> snapshot() throws Exception {
        Map<String, String> files = new TreeMap<>();
        for (String dir : List.of("conf", "extensions-jars", "var/mailsec")) {
            try (Stream<Path> walk = Files.walk(james.resolve(dir))) {
                for (Path p : (Iterable<Path>) walk::iterator) {
                    String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
                    String entry =
                            Files.isRegularFile(p)
                                    ? Files.getLastModifiedTime(p).toMillis()
                                            + " "
                                            + mode
                                            + " "
                                            + hex(
                                                    MessageDigest.getInstance("SHA-256")
                                                            .digest(Files.readAllBytes(p)))
                                    : "dir " + mode;
                    files.put(james.relativize(p).toString(), entry);
                }
            }
        }
        assertThat(files)
                .containsKeys(
                        "var/mailsec/dkm/dkm.properties",
                        "conf/rights.xml",
                        "extensions-jars/mailsec/mailsec-mailets-0.1.0-SNAPSHOT.jar");
        return files;
    }

    private static String run(Path dir, String... argv) throws Exception {
        Process p =
                new ProcessBuilder(argv).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), UTF_8);
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("%s%n%s", List.of(argv), out).isZero();
        return out;
    }

    private static void awaitOk(
            HttpClient http, String url, Process process, String log, int seconds)
            throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(seconds));
        while (true) {
            assertThat(process.isAlive()).as("exited during start:%n%s", tail(log)).isTrue();
            try {
                if (http.send(
                                        HttpRequest.newBuilder(URI.create(url)).build(),
                                        HttpResponse.BodyHandlers.ofString())
                                .statusCode()
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

    private static void edit(Path file, String from, String to) throws IOException {
        String s = Files.readString(file);
        assertThat(s).as(file.toString()).contains(from);
        Files.writeString(file, s.replace(from, to));
    }

    private static void copyTree(Path from, Path to) throws IOException {
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

    private static String causes(Throwable t) {
        List<String> messages = new ArrayList<>();
        for (Throwable c = t.getCause(); c != null; c = c.getCause()) {
            messages.add(String.valueOf(c.getMessage()));
        }
        if (t instanceof MessagingException
                && ((MessagingException) t).getNextException() != null) {
            messages.add(String.valueOf(((MessagingException) t).getNextException().getMessage()));
        }
        return String.join(" ", messages);
    }

    private static String tail(String log) {
        try {
            String s = Files.readString(work.resolve(log));
            return s.length() > 6000 ? s.substring(s.length() - 6000) : s;
        } catch (IOException e) {
            return "(no " + log + ")";
        }
    }

    private static String hex(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (byte x : b) {
            s.append(String.format("%02x", x));
        }
        return s.toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}

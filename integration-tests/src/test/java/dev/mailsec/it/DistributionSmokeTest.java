package dev.mailsec.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.mail.Folder;
import javax.mail.Message;
import javax.mail.Session;
import javax.mail.Store;
import javax.mail.Transport;
import javax.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's path, for real: README command 1 ({@code ./mailsec run}) installs the built bundle
 * into the stock James 3.8.1 memory distribution with {@code mailsec install} and starts it as a
 * separate process with {@code java -jar james-server-memory-app.jar} from its home, as James's
 * docs start it; Python's smtplib and imaplib (standard clients) send mail in clear and over
 * STARTTLS and read it back from bob's INBOX.
 */
class DistributionSmokeTest {

    private static final Path ROOT =
            Paths.get(System.getProperty("mailsec.conf.dir", "../conf"))
                    .toAbsolutePath()
                    .normalize()
                    .getParent();
    private static final Path BUNDLE = Paths.get(System.getProperty("mailsec.bundle.dir"));
    private static final Path JAMES_LIB =
            Paths.get(System.getProperty("mailsec.james.home")).resolve("lib");

    @TempDir static Path home;
    private static Process james;
    private static Path output;
    private static int smtpPort;
    private static int imapPort;
    private static int webadminPort;
    private static int portalPort;

    @BeforeAll
    static void startTheDistribution() throws Exception {
        smtpPort = freePort();
        int smtpsPort = freePort();
        imapPort = freePort();
        webadminPort = freePort();
        portalPort = freePort();
        output = home.resolve("run.log");
        ProcessBuilder pb =
                new ProcessBuilder("bash", ROOT.resolve("mailsec").toString(), "run")
                        .directory(ROOT.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(output.toFile());
        Map<String, String> env = pb.environment();
        env.put("MAILSEC_HOME", home.resolve("state").toString());
        env.put("MAILSEC_NO_BUILD", "1");
        env.put("MAILSEC_SMTP_PORT", Integer.toString(smtpPort));
        env.put("MAILSEC_SMTPS_PORT", Integer.toString(smtpsPort));
        env.put("MAILSEC_IMAP_PORT", Integer.toString(imapPort));
        env.put("MAILSEC_WEBADMIN_PORT", Integer.toString(webadminPort));
        env.put("MAILSEC_PORTAL_PORT", Integer.toString(portalPort));
        env.put("MAILSEC_HEAP", "384m");
        james = pb.start();

        Instant deadline = Instant.now().plus(Duration.ofSeconds(180));
        while (!log().contains("with the mailsec pack is running")) {
            assertThat(james.isAlive()).as("./mailsec run exited early:%n%s", log()).isTrue();
            assertThat(Instant.now())
                    .as("./mailsec run did not start in time:%n%s", log())
                    .isBefore(deadline);
            Thread.sleep(250);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (james != null) {
            List<ProcessHandle> children = james.descendants().collect(Collectors.toList());
            james.destroy(); // SIGTERM: the script's trap stops James through its shutdown hook
            if (!james.waitFor(60, TimeUnit.SECONDS)) {
                james.destroyForcibly();
            }
            children.forEach(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void bundleShouldCarryNoSecondCopyOfAJarJamesShips() throws IOException {
        Set<String> jamesArtifacts = artifactIds(JAMES_LIB);
        Set<String> ours = artifactIds(BUNDLE.resolve("extensions-jars"));
        assertThat(jamesArtifacts).hasSizeGreaterThan(250);
        assertThat(ours).contains("mailsec-smtp-hooks", "mailsec-matchers", "mailsec-mailets");
        assertThat(ours).doesNotContainAnyElementsOf(jamesArtifacts);
    }

    @Test
    void jamesShouldRunWithJavaJarOnExactlyTheLibrariesItsManifestNames() throws IOException {
        // started as James's docs start it: the launcher's manifest Class-Path is the whole
        // classpath
        List<String> javaArgs =
                james.descendants()
                        .map(ph -> ph.info().arguments().map(List::of).orElse(List.of()))
                        .filter(a -> a.contains("-Dworking.directory=."))
                        .findFirst()
                        .orElseThrow(
                                () -> new AssertionError("no James process under ./mailsec run"));
        assertThat(javaArgs)
                .containsSubsequence("-jar", "james-server-memory-app.jar")
                .doesNotContain("-cp", "-classpath");

        Path jamesHome = home.resolve("state/james");
        Set<String> named;
        try (JarFile launcher =
                new JarFile(jamesHome.resolve("james-server-memory-app.jar").toFile())) {
            named =
                    Set.of(
                            launcher.getManifest()
                                    .getMainAttributes()
                                    .getValue(Attributes.Name.CLASS_PATH)
                                    .trim()
                                    .split("\\s+"));
        }
        Set<String> installed;
        try (Stream<Path> jars = Files.list(jamesHome.resolve("james-server-memory-app.lib"))) {
            installed =
                    jars.map(p -> "james-server-memory-app.lib/" + p.getFileName())
                            .collect(Collectors.toSet());
        }
        assertThat(named)
                .hasSizeGreaterThan(250)
                .contains("james-server-memory-app.lib/javax.servlet-api-4.0.1.jar");
        assertThat(installed).isEqualTo(named);
    }

    @Test
    void operatorInstallShouldPutTheBundleIntoItsOwnFolderOfExtensionsJars() throws IOException {
        Set<String> installed = artifactIds(home.resolve("state/james/extensions-jars/mailsec"));
        assertThat(installed).isEqualTo(artifactIds(BUNDLE.resolve("extensions-jars")));
    }

    @Test
    void firstStartShouldCreateTheDkmStoreAndGiveJamesOnlyItsServiceIdentity() throws Exception {
        Path state = home.resolve("state/james/var/mailsec");
        Path jamesDkmConfig = home.resolve("state/james/conf/dkm.properties");
        assertThat(state.resolve("dkm/dkm.properties")).isRegularFile();
        assertThat(Files.readString(jamesDkmConfig))
                .contains("identity=var/mailsec/credentials/james-transport.cred")
                .doesNotContain("rootKey");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(jamesDkmConfig)))
                .isEqualTo("rw-------");

        String admin = state.resolve("dkm/credentials/admin.cred").toString();
        String dkm = state.resolve("dkm").toString();
        assertThat(cli("dkm", "--store", dkm, "--identity", admin, "group", "members", "mail"))
                .contains("james-transport");
        assertThat(cli("dkm", "--store", dkm, "--identity", admin, "secret", "list"))
                .contains("dkim/mailsec.test")
                .contains("dkim/mailsec.test/ed25519")
                .contains("smime/bob@mailsec.test");
        assertThat(cli("dkm", "--store", dkm, "--identity", admin, "audit", "verify"))
                .contains("intact");
    }

    @Test
    void firstStartShouldGiveJamesAndThePortalTheRightsKeysAndServeThePortal() throws Exception {
        Path state = home.resolve("state/james/var/mailsec");
        String admin = state.resolve("dkm/credentials/admin.cred").toString();
        String dkm = state.resolve("dkm").toString();
        assertThat(cli("dkm", "--store", dkm, "--identity", admin, "group", "members", "rights"))
                .contains("james-transport")
                .contains("rights-portal");
        assertThat(cli("dkm", "--store", dkm, "--identity", admin, "secret", "list"))
                .contains("rights/content-key")
                .contains("rights/signing")
                .contains("rights/portal-session");
        assertThat(Files.readString(home.resolve("state/james/conf/portal-dkm.properties")))
                .contains("identity=var/mailsec/credentials/rights-portal.cred");
        // install made the store James and the portal use inside James's home, not beside the
        // checkout
        assertThat(Files.readString(home.resolve("state/james/conf/rights.xml")))
                .contains("<store url=\"file://var/mailsec/rights\"/>");
        assertThat(state.resolve("rights")).isDirectory();
        assertThat(log()).contains("Portal   http://127.0.0.1:" + portalPort);
        HttpResponse<String> page =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(
                                                URI.create(
                                                        "http://127.0.0.1:"
                                                                + portalPort
                                                                + "/m/unknownlicence0"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(404);
        assertThat(page.headers().firstValue("Content-Security-Policy").orElse(""))
                .startsWith("default-src 'none'");
    }

    @Test
    void encryptedMailToCarolShouldArriveAsAWrapperWhoseLinkTheRunningPortalOpens()
            throws Exception {
        Properties props = new Properties();
        props.put("mail.smtp.host", "127.0.0.1");
        props.put("mail.smtp.port", Integer.toString(smtpPort));
        props.put("mail.imap.starttls.enable", "true");
        props.put("mail.imap.starttls.required", "true");
        props.put("mail.imap.ssl.trust", "*"); // the demo's self-signed certificate
        Session session = Session.getInstance(props);
        MimeMessage m = new MimeMessage(session);
        m.setFrom("alice@mailsec.test");
        m.setRecipients(Message.RecipientType.TO, "carol@external.test");
        m.setSubject("[encrypt] smoke-portal");
        m.setText("smoke secret 8F3A in the body");
        Transport.send(m);

        String wrapper = null;
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (wrapper == null && Instant.now().isBefore(deadline)) {
            Store store = session.getStore("imap");
            store.connect("127.0.0.1", imapPort, "carol@external.test", "secret");
            try {
                Folder inbox = store.getFolder("INBOX");
                inbox.open(Folder.READ_ONLY);
                for (Message msg : inbox.getMessages()) {
                    if ("[encrypt] smoke-portal".equals(msg.getSubject())) {
                        ByteArrayOutputStream out = new ByteArrayOutputStream();
                        msg.writeTo(out);
                        wrapper = out.toString(UTF_8);
                    }
                }
                inbox.close(false);
            } finally {
                store.close();
            }
            if (wrapper == null) {
                Thread.sleep(500);
            }
        }
        assertThat(wrapper).as("wrapper in carol's INBOX%n%s", log()).isNotNull();
        assertThat(wrapper).doesNotContain("8F3A").contains("message.mailsec");
        Matcher link =
                Pattern.compile("http://127\\.0\\.0\\.1:" + portalPort + "/m/[A-Za-z0-9_-]+")
                        .matcher(wrapper);
        assertThat(link.find()).as("portal link in%n%s", wrapper).isTrue();
        HttpResponse<String> landing =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(URI.create(link.group())).build(),
                                HttpResponse.BodyHandlers.ofString());
        assertThat(landing.statusCode()).isEqualTo(200);
        assertThat(landing.body()).contains("alice@mailsec.test sent you a protected message");
    }

    /**
     * Runs the operator's command line (the built CLI jar) and returns its output; fails on a
     * non-zero exit.
     */
    private static String cli(String... args) throws Exception {
        List<String> argv =
                new ArrayList<>(
                        List.of(
                                "java",
                                "-jar",
                                ROOT.resolve("cli/target/mailsec-cli.jar").toString()));
        argv.addAll(List.of(args));
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("%s%n%s", argv, out).isZero();
        return out;
    }

    /**
     * What the sample pipeline's four checks write, in one field, for alice's unsigned mail from
     * loopback: the demo publishes no SPF or DMARC record for mailsec.test.
     */
    private static final String LOCAL_UNSIGNED_RESULTS =
            "mailsec.test; dkim=none; spf=none (domain of alice@mailsec.test does not say whether"
                    + " 127.0.0.1 may send) smtp.mailfrom=alice@mailsec.test; arc=none (no ARC sets)"
                    + " smtp.remote-ip=127.0.0.1; dmarc=none (no DMARC record)"
                    + " header.from=mailsec.test";

    @Test
    void mailOverStartTlsShouldReachBobShowingTheTlsFacts() throws Exception {
        String headers = sendAndRead("smoke-starttls", true);
        assertThat(header(headers, "X-Mailsec-TLS")).startsWith("TLSv1.").contains("cipher=");
        assertThat(header(headers, "X-Mailsec-Transport")).contains("encrypted");
        assertThat(header(headers, "Authentication-Results")).isEqualTo(LOCAL_UNSIGNED_RESULTS);
        // the sample pipeline S/MIME-encrypts for bob, whose certificate the first start made (key
        // in DKM)
        assertThat(header(headers, "Content-Type")).contains("application/pkcs7-mime");
    }

    @Test
    void unsignedMailFromAMustBeSignedDomainShouldLandInTheDkimQuarantine() throws Exception {
        assertThat(send("smoke-bank-unsigned", "plain-send-only", "ceo@bank.test"))
                .contains("SENT");
        HttpClient http = HttpClient.newHttpClient();
        URI uri =
                URI.create(
                        "http://127.0.0.1:"
                                + webadminPort
                                + "/mailRepositories/"
                                + URLEncoder.encode("var/mail/dkim-quarantine", UTF_8)
                                + "/mails");
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        String keys = "[]";
        while (Instant.now().isBefore(deadline)) {
            HttpResponse<String> r =
                    http.send(
                            HttpRequest.newBuilder(uri).build(),
                            HttpResponse.BodyHandlers.ofString());
            keys = r.statusCode() == 200 ? r.body() : keys;
            if (!keys.equals("[]")) {
                break;
            }
            Thread.sleep(250);
        }
        assertThat(keys).as("quarantine listing").startsWith("[\"Mail");
        String key = keys.substring(2, keys.indexOf('"', 2));
        String mail =
                http.send(
                                HttpRequest.newBuilder(URI.create(uri + "/" + key))
                                        .header("Accept", "message/rfc822")
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body();
        assertThat(mail).contains("Subject: smoke-bank-unsigned").contains("dkim=none");
        // on disk (file:// in the sample's mailrepositorystore.xml), so a restart of James keeps
        // it; James's
        // file repository names its files after the key in hexadecimal
        String hexKey =
                key.chars().mapToObj(c -> String.format("%02X", c)).collect(Collectors.joining());
        try (Stream<Path> files =
                Files.list(home.resolve("state/james/var/mail/dkim-quarantine"))) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .anyMatch(n -> n.startsWith(hexKey + "."));
        }
    }

    @Test
    void mailInClearShouldReachBobSayingItWasNotEncrypted() throws Exception {
        String headers = sendAndRead("smoke-plain", false);
        assertThat(header(headers, "X-Mailsec-TLS")).startsWith("none");
        assertThat(header(headers, "X-Mailsec-Transport")).isNull();
    }

    @Test
    void partnerConnectorShouldRefuseClearTextFromPartnerAndDeliverItOverTls() throws Exception {
        assertThat(sendAndRead("smoke-partner-plain", false, "news@partner.test"))
                .startsWith("REFUSED 530")
                .contains("5.7.10")
                .contains("partner");
        String headers = sendAndRead("smoke-partner-tls", true, "news@partner.test");
        assertThat(header(headers, "X-Mailsec-Connector")).isEqualTo("partner");
        assertThat(header(headers, "X-Mailsec-TLS")).startsWith("TLSv1.");
    }

    @Test
    void mailWithAMalformedContentTypeOverStartTlsShouldReachBobThroughTheWholeSamplePipeline()
            throws Exception {
        // issue 13, finding 4: VerifyDkim, AddTlsTrace and James's header mailets re-parsed this
        // and threw
        String headers =
                send(
                        "smoke-malformed-content-type",
                        "starttls",
                        "alice@mailsec.test",
                        "Content-Type: text/plain;; charset=utf-8; ; \r\nX-Mailsec-Transport: forged\r\n");
        assertThat(header(headers, "Authentication-Results")).isEqualTo(LOCAL_UNSIGNED_RESULTS);
        assertThat(header(headers, "X-Mailsec-TLS")).startsWith("TLSv1.").contains("cipher=");
        assertThat(header(headers, "X-Mailsec-Transport"))
                .isEqualTo("encrypted (TLSv1.2 or newer)");
        assertThat(header(headers, "Content-Type")).contains("application/pkcs7-mime");
    }

    private static String sendAndRead(String subject, boolean startTls) throws Exception {
        return sendAndRead(subject, startTls, "alice@mailsec.test");
    }

    /**
     * Sends with smtplib (STARTTLS or not) and returns the headers bob's IMAP INBOX shows, or
     * {@code REFUSED code reply} when the server refuses the sender.
     */
    private static String sendAndRead(String subject, boolean startTls, String sender)
            throws Exception {
        return send(subject, startTls ? "starttls" : "plain", sender);
    }

    /**
     * Runs the standard-client script in a mode: starttls, plain, or plain-send-only (no read
     * back).
     */
    private static String send(String subject, String mode, String sender) throws Exception {
        return send(subject, mode, sender, "");
    }

    /** As above, with extra header lines (CRLF-terminated) in the message. */
    private static String send(String subject, String mode, String sender, String extraHeaders)
            throws Exception {
        Path script = home.resolve("client.py");
        try (var in = DistributionSmokeTest.class.getResourceAsStream("/smoke/client.py")) {
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        }
        ProcessBuilder client =
                new ProcessBuilder(
                                "/usr/bin/python3",
                                script.toString(),
                                Integer.toString(smtpPort),
                                Integer.toString(imapPort),
                                subject,
                                mode,
                                sender)
                        .redirectErrorStream(true);
        client.environment().put("SMOKE_EXTRA_HEADERS", extraHeaders);
        Process started = client.start();
        String out = new String(started.getInputStream().readAllBytes(), UTF_8);
        assertThat(started.waitFor(90, TimeUnit.SECONDS)).isTrue();
        assertThat(started.exitValue())
                .as("client output:%n%s%nserver log:%n%s", out, log())
                .isZero();
        return out;
    }

    private static String header(String headers, String name) {
        Matcher m =
                Pattern.compile("(?im)^" + Pattern.quote(name) + ":\\s*(.*(?:\\r?\\n[ \\t].*)*)")
                        .matcher(headers);
        return m.find() ? m.group(1).replaceAll("\\r?\\n[ \\t]+", " ").trim() : null;
    }

    private static Set<String> artifactIds(Path folder) throws IOException {
        try (Stream<Path> jars = Files.list(folder)) {
            return jars.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".jar"))
                    .map(n -> n.replaceFirst("(-\\d.*)?\\.jar$", ""))
                    .collect(Collectors.toSet());
        }
    }

    private static String log() {
        try {
            return Files.exists(output) ? Files.readString(output) : "";
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}

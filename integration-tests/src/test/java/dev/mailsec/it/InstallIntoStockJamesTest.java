package dev.mailsec.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.mailsec.it.harness.InstalledJames;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.mail.MessagingException;
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

    @TempDir static Path work;
    private static InstalledJames installed;
    private static Path james;
    private static int imapPort;
    private static int portalPort;
    private static List<String> installArgs;
    private static Duration firstInstall;
    private static Duration firstStart;
    private static Duration secondInstall;
    private static Duration checkTime;

    @BeforeAll
    static void followInstallMd() throws Exception {
        // 1. unzip the bundle
        Path mailsec = InstalledJames.unzipBundle(work);
        assertThat(mailsec).isExecutable();
        assertThat(mailsec.getParent().getParent().resolve("INSTALL.md")).isRegularFile();
        // 0. the operator's James: the stock distribution with its library folder, and the keystore
        // its own stock configuration needs (INSTALL.md, "What you need"); free ports
        installed = InstalledJames.stock(work, "mail.example.test", mailsec);
        james = installed.home();
        imapPort = installed.imapPort;
        portalPort = installed.portalPort;
        installed.useFreeServerPorts();

        // 2. install
        installArgs = installed.installCommand(installed.sampleFlags("example.test"));
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
        installed.startPortal();

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
        installed.startJames();
        firstStart = Duration.between(t1, Instant.now());
        for (String domain : List.of("example.test", "external.test")) {
            installed.addDomain(domain);
        }
        for (String user :
                List.of("alice@example.test", "bob@example.test", "carol@external.test")) {
            installed.addUser(user, "secret");
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (installed != null) {
            installed.close();
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
        installed.send(
                "alice@example.test",
                "bob@example.test",
                "install-starttls",
                "hello over TLS",
                true);
        MimeMessage m = installed.read("bob@example.test", "install-starttls");
        assertThat(m.getHeader("X-Mailsec-TLS", null)).startsWith("TLSv1.").contains("cipher=");
        assertThat(m.getHeader("X-Mailsec-Transport", null))
                .isEqualTo("encrypted (TLSv1.2 or newer)");
        // one field: the sample's DKIM, SPF, ARC and DMARC steps (SPF and DMARC from the
        // machine's resolvers: none, or temperror where they cannot be reached)
        String[] ar = m.getHeader("Authentication-Results");
        assertThat(ar).hasSize(1);
        assertThat(ar[0].replaceAll("\\s+", " "))
                .startsWith("example.test; dkim=none;")
                .containsSubsequence(" spf=", " arc=none", " dmarc=");
    }

    @Test
    @Order(4)
    void clearMailFromTheSamplePartnerShouldBeRefusedAtSmtpTime() {
        Throwable refused =
                catchThrowable(
                        () ->
                                installed.send(
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
        installed.send(
                "alice@example.test",
                "carol@external.test",
                "[encrypt] install-portal",
                "install secret 5KQ9 in the body",
                true);
        MimeMessage wrapper = installed.read("carol@external.test", "[encrypt] install-portal");
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
        InstalledJames.copyTree(james.resolve("conf"), broken.resolve("conf"));
        Path mailetcontainer = broken.resolve("conf/mailetcontainer.xml");
        Files.writeString(
                mailetcontainer,
                Files.readString(mailetcontainer)
                        .replaceFirst(
                                "<algorithms>both</algorithms>",
                                "<algorithms>both</algorithms><selecter>rsa-v1</selecter>"));
        InstalledJames.edit(
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
                installed.mailsec().toString(),
                "check",
                "--james-home",
                home.toString(),
                "--zone",
                james.resolve("var/mailsec/dkim-records.txt").toString());
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

    private static String run(Path dir, String... argv) throws Exception {
        return InstalledJames.run(dir, argv);
    }

    private static String hex(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (byte x : b) {
            s.append(String.format("%02x", x));
        }
        return s.toString();
    }
}

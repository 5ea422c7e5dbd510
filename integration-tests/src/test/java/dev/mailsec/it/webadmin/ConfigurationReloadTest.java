package dev.mailsec.it.webadmin;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.mailsec.it.harness.InstalledJames;
import dev.mailsec.it.harness.SmtpSink;
import dev.mailsec.rights.RightsSettings;
import dev.mailsec.tls.connector.ConnectorRoutes;
import dev.mailsec.tls.connector.ConnectorsFile;
import dev.mailsec.tls.connector.InvalidConnectorsException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reload without restart (issue 19, item 2) in the stock James 3.8.1 distribution with the sample
 * pipeline (its generic connector route: {@code RecipientConnectorIs=*} to {@code
 * ConnectorsRemoteDelivery}) and James's JWT authentication: connectors.xml swapped between two
 * valid files ("red" or "blue" covers a.test and b.test, each connector relaying to its own SMTP
 * sink) while 200 mails, each to a.test and b.test, go out; every mail arrives exactly once, at one
 * sink with both recipients (one generation, never a mix). A bad file and a file adding a connector
 * without a route are refused over WebAdmin with the start's message and the running file stays
 * enforced; a file change is picked up without a call; rights.xml reloads too.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConfigurationReloadTest {
    private static final String OPERATOR = "ops@example.test";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final int MAILS = 200;

    @TempDir static Path work;
    private static InstalledJames installed;
    private static String token;
    private static SmtpSink red;
    private static SmtpSink blue;
    private static Path connectorsXml;

    @BeforeAll
    static void installAndStart() throws Exception {
        red = new SmtpSink();
        blue = new SmtpSink();
        installed =
                InstalledJames.stock(work, "mail.example.test", InstalledJames.bundledMailsec());
        installed.useFreeServerPorts();
        installed.install(installed.sampleFlags("example.test"));
        Path home = installed.home();
        connectorsXml = home.resolve("conf/connectors.xml");
        write(connectorsXml, connectors("red"));

        KeyPair keys = rsa();
        Files.writeString(
                home.resolve("conf/jwt_publickey"),
                "-----BEGIN PUBLIC KEY-----\n"
                        + Base64.getMimeEncoder(64, "\n".getBytes(UTF_8))
                                .encodeToString(keys.getPublic().getEncoded())
                        + "\n-----END PUBLIC KEY-----\n");
        Files.writeString(
                home.resolve("conf/webadmin.properties"),
                "jwt.enabled=true\njwt.publickeypem.url=file://conf/jwt_publickey\n",
                StandardOpenOption.APPEND);
        token = jwt((RSAPrivateKey) keys.getPrivate(), OPERATOR);
        installed.webAdminBearer(token);
        installed.startJames();
        installed.addDomain("example.test");
        installed.addUser("alice@example.test", "secret");
    }

    @AfterAll
    static void stop() throws Exception {
        if (installed != null) {
            installed.close();
        }
        if (red != null) {
            red.close();
        }
        if (blue != null) {
            blue.close();
        }
    }

    @Test
    @Order(1)
    void reloadUnderLoadShouldLoseAndDuplicateNoMailAndNeverMixGenerations() throws Exception {
        long before = generation();
        AtomicInteger applied = new AtomicInteger();
        AtomicReference<String> reloadFailure = new AtomicReference<>();
        Thread reloader =
                new Thread(
                        () -> {
                            String next = "blue";
                            while (!Thread.currentThread().isInterrupted()) {
                                try {
                                    write(connectorsXml, connectors(next));
                                    HttpResponse<String> r =
                                            call("POST", "/mailsec/connectors/reload");
                                    if (r.statusCode() != 200) {
                                        reloadFailure.compareAndSet(null, r.body());
                                        return;
                                    }
                                    if (JSON.readTree(r.body()).at("/applied").asBoolean()) {
                                        applied.incrementAndGet();
                                    }
                                    next = next.equals("red") ? "blue" : "red";
                                    Thread.sleep(100);
                                } catch (InterruptedException e) {
                                    return;
                                } catch (Exception e) {
                                    reloadFailure.compareAndSet(null, e.toString());
                                    return;
                                }
                            }
                        },
                        "reloader");
        reloader.start();
        try {
            for (int i = 0; i < MAILS; i++) {
                installed.send(
                        "alice@example.test",
                        "u" + i + "@a.test, u" + i + "@b.test",
                        "reload-load-" + i,
                        "mail " + i,
                        true);
            }
        } finally {
            reloader.interrupt();
            reloader.join();
        }
        assertThat(reloadFailure.get()).as("a reload that failed").isNull();
        write(connectorsXml, connectors("red"));
        assertThat(call("POST", "/mailsec/connectors/reload").statusCode()).isEqualTo(200);

        Instant deadline = Instant.now().plusSeconds(240);
        while (count("reload-load-") < MAILS && Instant.now().isBefore(deadline)) {
            Thread.sleep(500);
        }
        Thread.sleep(3000); // a duplicate would arrive about now
        int atRed = 0;
        int atBlue = 0;
        for (int i = 0; i < MAILS; i++) {
            List<SmtpSink.Received> r = receipts(red, "reload-load-" + i);
            List<SmtpSink.Received> b = receipts(blue, "reload-load-" + i);
            assertThat(r.size() + b.size()).as("deliveries of mail %d", i).isEqualTo(1);
            SmtpSink.Received only = r.isEmpty() ? b.get(0) : r.get(0);
            // both recipients through one connector: one generation decided the whole mail
            assertThat(only.recipients)
                    .as("recipients of mail %d", i)
                    .containsExactlyInAnyOrder("u" + i + "@a.test", "u" + i + "@b.test");
            atRed += r.size();
            atBlue += b.size();
        }
        assertThat(applied.get()).as("reloads applied while sending").isGreaterThanOrEqualTo(10);
        assertThat(generation() - before).isGreaterThanOrEqualTo(10);
        assertThat(atRed).as("mails under the red generation").isPositive();
        assertThat(atBlue).as("mails under the blue generation").isPositive();
    }

    @Test
    @Order(2)
    void badFileShouldBeRefusedWithTheStartMessageAndTheRunningOneStay() throws Exception {
        long running = generation();
        String bad = connectors("red").replace("level=\"opportunistic\"", "level=\"bogus\"");
        write(connectorsXml, bad);
        String startMessage = startMessage(connectorsXml, false);
        assertThat(startMessage).contains("bogus");
        assertError(call("POST", "/mailsec/connectors/reload"), startMessage);
        assertThat(generation()).isEqualTo(running);
        assertThat(deliveredThrough("bad-file-kept")).isSameAs(red);

        // a connector the pipeline has no route for (mta-sts needs its own processors)
        String unrouted =
                connectors("red")
                        .replace(
                                "</connectors>",
                                "  <outbound name=\"sts\">\n"
                                        + "    <recipientDomain>sts.test</recipientDomain>\n"
                                        + "    <tls level=\"mta-sts\"/>\n"
                                        + "  </outbound>\n</connectors>");
        write(connectorsXml, unrouted);
        String routeMessage = startMessage(connectorsXml, true);
        assertThat(routeMessage).contains("'sts'", "has no route");
        assertError(call("POST", "/mailsec/connectors/reload"), routeMessage);
        assertThat(generation()).isEqualTo(running);

        write(connectorsXml, connectors("red"));
        HttpResponse<String> back = call("POST", "/mailsec/connectors/reload");
        assertThat(back.statusCode()).as(back.body()).isEqualTo(200);
        assertThat(dkm("audit", "tail", "-n", "400"))
                .containsPattern(
                        "james-transport reload "
                                + Pattern.quote(
                                        connectorsXml.toAbsolutePath().normalize().toString())
                                + " v\\d+ ok .*connectors generation \\d+ -> \\d+: outbound connector"
                                + " '(red|blue)' changed.*on behalf of webadmin:"
                                + OPERATOR)
                .containsPattern(
                        "james-transport reload "
                                + Pattern.quote(
                                        connectorsXml.toAbsolutePath().normalize().toString())
                                + " v"
                                + running
                                + " refused .*bogus.*on behalf of webadmin:"
                                + OPERATOR);
    }

    @Test
    @Order(3)
    void fileChangeShouldBeAppliedWithoutACall() throws Exception {
        long running = generation();
        write(connectorsXml, connectors("blue"));
        Instant deadline = Instant.now().plusSeconds(20);
        while (generation() == running && Instant.now().isBefore(deadline)) {
            Thread.sleep(200);
        }
        assertThat(generation()).as("generation after the file changed").isEqualTo(running + 1);
        assertThat(deliveredThrough("file-change-applied")).isSameAs(blue);
        // one snapshot for the hook, the matchers, the mailets and the routes: one reload, one line
        String line =
                "reload: connectors "
                        + connectorsXml.toAbsolutePath().normalize()
                        + " generation "
                        + running
                        + " -> "
                        + (running + 1)
                        + " by file-change";
        String log = Files.readString(work.resolve("james.out"));
        assertThat(log.split(Pattern.quote(line), -1).length - 1)
                .as("lines '%s' in James's log", line)
                .isEqualTo(1);
    }

    @Test
    @Order(4)
    void rightsXmlShouldReloadAndRefuseABadFile() throws Exception {
        Path rightsXml = installed.home().resolve("conf/rights.xml");
        String original = Files.readString(rightsXml);
        assertThat(original).contains("</templates>");
        write(
                rightsXml,
                original.replace(
                        "</templates>",
                        "  <template name=\"board-only\" rights=\"view\" expiry=\"P7D\"/>\n"
                                + "    </templates>"));
        HttpResponse<String> r = call("POST", "/mailsec/rights/reload");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(JSON.readTree(r.body()).at("/changes").toString())
                .contains("template 'board-only' added");
        assertThat(call("GET", "/mailsec/rights/templates").body())
                .contains("\"name\":\"board-only\"");

        write(
                rightsXml,
                original.replace("</templates>", "  <template name=\"x\"/>\n</templates>"));
        String startMessage;
        try {
            RightsSettings.load(rightsXml);
            throw new AssertionError("rights.xml with a template without rights was accepted");
        } catch (IllegalArgumentException e) {
            startMessage = e.getMessage();
        }
        assertError(call("POST", "/mailsec/rights/reload"), startMessage);
        assertThat(call("GET", "/mailsec/rights/templates").body())
                .contains("\"name\":\"board-only\"");
        write(rightsXml, original);
    }

    /** Sends one mail to a.test and says which sink received it. */
    private static SmtpSink deliveredThrough(String subject) throws Exception {
        installed.send("alice@example.test", "x@a.test", subject, "probe", true);
        Instant deadline = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(deadline)) {
            if (!receipts(red, subject).isEmpty()) {
                return red;
            }
            if (!receipts(blue, subject).isEmpty()) {
                return blue;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(subject + " was not delivered");
    }

    /**
     * The message the start gives for the file (James would refuse to start with it). James runs
     * with {@code -Dworking.directory=.}, so its start names its own files {@code ./conf/...}.
     */
    private static String startMessage(Path file, boolean routes) {
        Path home = installed.home().toAbsolutePath();
        try {
            ConnectorRoutes.requireEnforced(ConnectorsFile.load(file), file, home);
            if (!routes) {
                throw new AssertionError(file + " is valid");
            }
        } catch (InvalidConnectorsException e) {
            return e.getMessage()
                    .replace(
                            home.resolve("conf/mailetcontainer.xml").toString(),
                            "./conf/mailetcontainer.xml")
                    .replace(
                            home.resolve("conf/smtpserver.xml").toString(),
                            "./conf/smtpserver.xml");
        }
        throw new AssertionError(file + " is enforced");
    }

    /**
     * connectors.xml with the sample's inbound connector and two outbound ones, {@code covering}
     * ("red" or "blue") covering a.test and b.test and the other c.test.
     */
    private static String connectors(String covering) {
        return "<?xml version=\"1.0\"?>\n<connectors>\n"
                + "  <inbound name=\"partner\">\n"
                + "    <senderDomain>partner.test</senderDomain>\n"
                + "    <requires tls=\"true\" minimumProtocol=\"TLSv1.2\"/>\n"
                + "  </inbound>\n"
                + outbound("red", red.port(), covering.equals("red"))
                + outbound("blue", blue.port(), covering.equals("blue"))
                + "</connectors>\n";
    }

    private static String outbound(String name, int port, boolean coversAb) {
        return "  <outbound name=\""
                + name
                + "\">\n"
                + (coversAb
                        ? "    <recipientDomain>a.test</recipientDomain>\n"
                                + "    <recipientDomain>b.test</recipientDomain>\n"
                        : "    <recipientDomain>c.test</recipientDomain>\n")
                + "    <smartHost>127.0.0.1:"
                + port
                + "</smartHost>\n"
                + "    <tls level=\"opportunistic\"/>\n"
                + "  </outbound>\n";
    }

    /** Replaces the file in one step, as an editor saving it does. */
    private static void write(Path file, String content) throws Exception {
        Path tmp = file.resolveSibling(file.getFileName() + ".new");
        Files.writeString(tmp, content);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static long generation() throws Exception {
        HttpResponse<String> r = call("GET", "/mailsec/connectors");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body()).at("/generation").asLong();
    }

    private static int count(String subjectPrefix) {
        int n = 0;
        for (SmtpSink sink : List.of(red, blue)) {
            for (String data : sink.messages()) {
                if (data.contains("\r\nSubject: " + subjectPrefix)) {
                    n++;
                }
            }
        }
        return n;
    }

    private static List<SmtpSink.Received> receipts(SmtpSink sink, String subject) {
        List<SmtpSink.Received> out = new ArrayList<>();
        for (SmtpSink.Received r : sink.received()) {
            if (r.data.contains("\r\nSubject: " + subject + "\r\n")) {
                out.add(r);
            }
        }
        return out;
    }

    private static void assertError(HttpResponse<String> r, String message) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        JsonNode e = JSON.readTree(r.body());
        assertThat(e.at("/type").asText()).isEqualTo("InvalidArgument");
        assertThat(e.at("/message").asText()).isEqualTo(message);
    }

    private static String dkm(String... args) throws Exception {
        Path store = installed.home().resolve("var/mailsec/dkm");
        List<String> argv =
                new ArrayList<>(
                        List.of(
                                installed.mailsec().toString(),
                                "dkm",
                                "--store",
                                store.toString(),
                                "--identity",
                                store.resolve("credentials/admin.cred").toString()));
        argv.addAll(List.of(args));
        return InstalledJames.run(work, argv.toArray(new String[0]));
    }

    private static HttpResponse<String> call(String method, String path) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(installed.webAdminUrl() + path))
                        .timeout(Duration.ofSeconds(60))
                        .header("Authorization", "Bearer " + token)
                        .method(method, HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static KeyPair rsa() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return g.generateKeyPair();
    }

    private static String jwt(RSAPrivateKey key, String subject) throws Exception {
        SignedJWT jwt =
                new SignedJWT(
                        new JWSHeader(JWSAlgorithm.RS256),
                        new JWTClaimsSet.Builder()
                                .subject(subject)
                                .claim("admin", true)
                                .expirationTime(Date.from(Instant.now().plusSeconds(3600)))
                                .build());
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }
}

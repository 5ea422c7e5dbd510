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
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 * The pack's WebAdmin routes in the stock James 3.8.1 distribution, installed as INSTALL.md says
 * ({@code mailsec install --sample-pipeline}, which enables the routes in {@code
 * webadmin.properties}), with James's JWT authentication switched on; every route called with a
 * plain HTTP client, the changes checked with {@code mailsec dkm} and the rights portal.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebAdminRoutesTest {
    private static final String OPERATOR = "ops@example.test";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @TempDir static Path work;
    private static InstalledJames installed;
    private static String token;
    private static String otherToken;
    private static String licence;

    @BeforeAll
    static void installAndStart() throws Exception {
        installed =
                InstalledJames.stock(work, "mail.example.test", InstalledJames.bundledMailsec());
        installed.useFreeServerPorts();
        installed.install(installed.sampleFlags("example.test"));
        Path home = installed.home();
        assertThat(Files.readString(home.resolve("conf/webadmin.properties")))
                .contains("extensions.routes=dev.mailsec.webadmin.MailsecRoutes");

        // James's own JWT authentication: its public key, and tokens signed with the private one
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
        token = jwt((RSAPrivateKey) keys.getPrivate(), OPERATOR, true);
        otherToken = jwt((RSAPrivateKey) rsa().getPrivate(), OPERATOR, true);
        installed.webAdminBearer(token);

        installed.startPortal();
        installed.startJames();
        for (String domain : List.of("example.test", "external.test")) {
            installed.addDomain(domain);
        }
        for (String user : List.of("alice@example.test", "carol@external.test")) {
            installed.addUser(user, "secret");
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (installed != null) {
            installed.close();
        }
    }

    @Test
    @Order(1)
    void everyRouteShouldBeRefusedWithoutAValidToken() throws Exception {
        List<String[]> routes =
                List.of(
                        new String[] {"GET", "/mailsec/dkm/status"},
                        new String[] {"POST", "/mailsec/dkm/secrets/dkim%2Fexample.test/rotate"},
                        new String[] {
                            "POST", "/mailsec/dkm/secrets/dkim%2Fexample.test/promote?version=2"
                        },
                        new String[] {"GET", "/mailsec/connectors"},
                        new String[] {"GET", "/mailsec/rights/templates"},
                        new String[] {"POST", "/mailsec/rights/messages/x/revoke"},
                        new String[] {"GET", "/mailsec/rights/messages/x/log"},
                        new String[] {"GET", "/mailsec/quarantines"});
        for (String[] r : routes) {
            assertThat(call(r[0], r[1], null).statusCode())
                    .as("%s without token", r[1])
                    .isEqualTo(401);
            assertThat(call(r[0], r[1], otherToken).statusCode())
                    .as("%s with a token of another key", r[1])
                    .isEqualTo(401);
        }
    }

    @Test
    @Order(2)
    void statusShouldListSecretsAndVersionsWithoutValues() throws Exception {
        HttpResponse<String> r = call("GET", "/mailsec/dkm/status", token);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode status = JSON.readTree(r.body());
        assertThat(status.at("/store/reachable").asBoolean()).isTrue();
        assertThat(status.at("/store/identity").asText()).isEqualTo("james-transport");
        assertThat(status.at("/store/admin").asBoolean()).isFalse();
        assertThat(status.at("/rootKey").asText()).isEqualTo("none");
        assertThat(status.at("/groups").toString()).contains("\"mail\"", "\"rights\"");
        JsonNode dkim = secret(status, "dkim/example.test");
        assertThat(dkim.at("/kind").asText()).isEqualTo("KEY_PAIR");
        assertThat(dkim.at("/versions").toString()).isEqualTo("{\"1\":\"PRIMARY\"}");
        assertThat(status.at("/dueRotations").isArray()).isTrue();
        assertThat(status.at("/pendingAccessRequests/available").asBoolean()).isFalse();
        assertThat(status.at("/auditChain/checked").asBoolean()).isFalse();
        // no key material anywhere in the answer
        assertThat(r.body()).doesNotContain("PRIVATE KEY").doesNotContain("MII");
    }

    @Test
    @Order(3)
    void rotateThenPromoteShouldShowInDkmAndBeAuditedForTheWebAdminUser() throws Exception {
        HttpResponse<String> rotated =
                call("POST", "/mailsec/dkm/secrets/dkim%2Fexample.test/rotate", token);
        assertThat(rotated.statusCode()).as(rotated.body()).isEqualTo(200);
        assertThat(JSON.readTree(rotated.body()).at("/version").asInt()).isEqualTo(2);
        assertThat(dkm("secret", "list"))
                .containsPattern("dkim/example.test\tKEY_PAIR\tmail\tv1=PRIMARY\tv2=ENABLED");

        HttpResponse<String> promoted =
                call("POST", "/mailsec/dkm/secrets/dkim%2Fexample.test/promote?version=2", token);
        assertThat(promoted.statusCode()).as(promoted.body()).isEqualTo(200);
        assertThat(dkm("secret", "list"))
                .containsPattern("dkim/example.test\tKEY_PAIR\tmail\tv1=ARCHIVED\tv2=PRIMARY");
        assertThat(dkm("audit", "tail", "-n", "20"))
                .containsPattern(
                        "james-transport rotate dkim/example.test v2 ok .*on behalf of webadmin:"
                                + OPERATOR)
                .containsPattern(
                        "james-transport promote dkim/example.test v2 ok .*on behalf of webadmin:"
                                + OPERATOR);
    }

    @Test
    @Order(4)
    void dkmRoutesShouldAnswerBadInputAndUnknownSecretsAsWebAdminDoes() throws Exception {
        assertError(
                call("POST", "/mailsec/dkm/secrets/dkim%2Fexample.test/promote", token),
                400,
                "InvalidArgument",
                "version: required");
        assertError(
                call("POST", "/mailsec/dkm/secrets/dkim%2Fexample.test/promote?version=x", token),
                400,
                "InvalidArgument",
                "version: must be a whole number from 1, got 'x'");
        assertError(
                call("POST", "/mailsec/dkm/secrets/dkim%2Fnowhere.test/rotate", token),
                404,
                "notFound",
                "dkim/nowhere.test");
    }

    @Test
    @Order(5)
    void connectorsShouldListWhatJamesLoaded() throws Exception {
        HttpResponse<String> r = call("GET", "/mailsec/connectors", token);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode c = JSON.readTree(r.body());
        assertThat(c.at("/inbound").size() + c.at("/outbound").size()).isPositive();
        assertThat(c.at("/inbound/0/name").asText()).isNotEmpty();
        assertThat(r.body()).doesNotContain("trustStorePassword");
    }

    @Test
    @Order(6)
    void templatesLogAndRevokeShouldActOnAProtectedMessage() throws Exception {
        HttpResponse<String> t = call("GET", "/mailsec/rights/templates", token);
        assertThat(t.statusCode()).as(t.body()).isEqualTo(200);
        assertThat(t.body()).contains("\"name\":\"encrypt-only\"", "\"name\":\"do-not-forward\"");

        installed.send(
                "alice@example.test",
                "carol@external.test",
                "[encrypt] webadmin-revoke",
                "body W3B4",
                true);
        MimeMessage wrapper = readWithRetry("carol@external.test", "[encrypt] webadmin-revoke");
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        wrapper.writeTo(raw);
        Matcher link =
                Pattern.compile(Pattern.quote(installed.portalUrl()) + "/m/([A-Za-z0-9_-]+)")
                        .matcher(raw.toString(UTF_8));
        assertThat(link.find()).isTrue();
        licence = link.group(1);
        assertThat(get(link.group()).statusCode()).isEqualTo(200);

        HttpResponse<String> log =
                call("GET", "/mailsec/rights/messages/" + licence + "/log", token);
        assertThat(log.statusCode()).as(log.body()).isEqualTo(200);
        assertThat(JSON.readTree(log.body()).at("/messages/0/sender").asText())
                .isEqualTo("alice@example.test");

        HttpResponse<String> revoked =
                call(
                        "POST",
                        "/mailsec/rights/messages/"
                                + licence
                                + "/revoke?reason="
                                + URLEncoder.encode("sent by mistake", UTF_8),
                        token);
        assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(200);
        assertThat(JSON.readTree(revoked.body()).at("/newlyRevoked").asBoolean()).isTrue();
        // the rights engine (the portal) refuses it now
        assertThat(get(link.group()).statusCode()).isEqualTo(410);

        JsonNode after =
                JSON.readTree(
                        call("GET", "/mailsec/rights/messages/" + licence + "/log", token).body());
        assertThat(after.at("/messages/0/revocation/by").asText())
                .isEqualTo("webadmin:" + OPERATOR);
        assertThat(after.at("/messages/0/revocation/reason").asText()).isEqualTo("sent by mistake");
        assertThat(after.at("/events").toString()).contains("REVOKED");
        assertThat(after.toString()).doesNotContain("W3B4");

        assertError(
                call("GET", "/mailsec/rights/messages/no-such-licence/log", token),
                404,
                "notFound",
                "no-such-licence");
    }

    @Test
    @Order(7)
    void quarantinesShouldCountEveryRepositoryAsJamesDoes() throws Exception {
        HttpResponse<String> r = call("GET", "/mailsec/quarantines", token);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode list = JSON.readTree(r.body());
        boolean found = false;
        for (JsonNode repo : list) {
            if (repo.at("/path").asText().equals("var/mail/address-error")) {
                found = true;
                HttpResponse<String> james =
                        call(
                                "GET",
                                "/mailRepositories/"
                                        + URLEncoder.encode("var/mail/address-error", UTF_8),
                                token);
                assertThat(repo.at("/size").asLong())
                        .isEqualTo(JSON.readTree(james.body()).at("/size").asLong());
            }
        }
        assertThat(found).as(r.body()).isTrue();
    }

    /**
     * James 3.8.1's IMAP once answered a FETCH with "BAD Invalid messageset" while the delivery was
     * landing; reading again is what a mail client does.
     */
    private static MimeMessage readWithRetry(String user, String subject) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                return installed.read(user, subject);
            } catch (MessagingException e) {
                if (attempt == 3) {
                    throw e;
                }
            }
        }
    }

    private static JsonNode secret(JsonNode status, String name) {
        for (JsonNode s : status.at("/secrets")) {
            if (s.at("/name").asText().equals(name)) {
                return s;
            }
        }
        throw new AssertionError("no secret " + name + " in " + status);
    }

    private static void assertError(
            HttpResponse<String> r, int status, String type, String messagePart) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        JsonNode e = JSON.readTree(r.body());
        assertThat(e.at("/statusCode").asInt()).isEqualTo(status);
        assertThat(e.at("/type").asText()).isEqualTo(type);
        assertThat(e.at("/message").asText()).contains(messagePart);
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

    private static HttpResponse<String> call(String method, String path, String bearer)
            throws Exception {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(installed.webAdminUrl() + path))
                        .timeout(Duration.ofSeconds(60))
                        .method(method, HttpRequest.BodyPublishers.noBody());
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static KeyPair rsa() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return g.generateKeyPair();
    }

    private static String jwt(RSAPrivateKey key, String subject, boolean admin) throws Exception {
        SignedJWT jwt =
                new SignedJWT(
                        new JWSHeader(JWSAlgorithm.RS256),
                        new JWTClaimsSet.Builder()
                                .subject(subject)
                                .claim("admin", admin)
                                .expirationTime(Date.from(Instant.now().plusSeconds(3600)))
                                .build());
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }
}

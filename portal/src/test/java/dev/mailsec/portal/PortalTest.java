package dev.mailsec.portal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsec.rights.Right;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.mail.Address;
import javax.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PortalTest {

    static final String HOSTILE =
            "From: alice@mailsec.test\r\nTo: carol@external.test\r\nSubject: Quarterly plan\r\n"
                    + "Message-ID: <m1@mailsec.test>\r\nMIME-Version: 1.0\r\n"
                    + "Content-Type: multipart/mixed; boundary=b1\r\n\r\n--b1\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
                    + "<p onclick=\"steal()\">Secret <b>plan</b></p><script>alert(1)</script><img src=\"https://tracker.example/p.gif\">"
                    + "<a href=\"javascript:alert(2)\">x</a><a href=\"https://ok.example/\">ok link</a><style>body{}</style>\r\n"
                    + "--b1\r\nContent-Type: text/plain; name=notes.txt\r\nContent-Disposition: attachment; filename=notes.txt\r\n\r\n"
                    + "attachment text\r\n--b1--\r\n";

    FakeEngine engine = new FakeEngine();
    final List<MimeMessage> sent = new CopyOnWriteArrayList<>();
    Portal portal;
    PortalConfig config;
    PortalMailer mailer;
    HttpClient http;
    String base;

    @BeforeEach
    void start() throws Exception {
        addHostileMessage(engine);
        engine.add(
                "dnf00000000000001",
                "do-not-forward",
                EnumSet.of(Right.VIEW, Right.REPLY, Right.REPLY_ALL),
                HOSTILE);
        config = localConfig();
        mailer = keepingMailer(config, sent);
        portal = Portal.start(config, engine, mailer, Clock.systemUTC());
        base = portal.localUrl().toString();
        http =
                HttpClient.newBuilder()
                        .cookieHandler(new CookieManager())
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .build();
    }

    @AfterEach
    void stop() {
        portal.close();
    }

    /** An application/x-www-form-urlencoded body of name, value pairs. */
    static String form(String... kv) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < kv.length; i += 2) {
            b.append(b.length() == 0 ? "" : "&")
                    .append(kv[i])
                    .append('=')
                    .append(URLEncoder.encode(kv[i + 1], StandardCharsets.UTF_8));
        }
        return b.toString();
    }

    /** The encrypt-only message from the hostile sender the portal tests read. */
    static void addHostileMessage(FakeEngine engine) {
        engine.add("enc00000000000001", "encrypt-only", EnumSet.allOf(Right.class), HOSTILE);
    }

    /** A test portal's config: public URL http://127.0.0.1:8090, bound to a free local port. */
    static PortalConfig localConfig() {
        return PortalConfig.builder(URI.create("http://127.0.0.1:8090"))
                .bind("127.0.0.1", 0)
                .build();
    }

    /** A mailer that keeps what it would send in {@code sent} instead of sending it. */
    static PortalMailer keepingMailer(PortalConfig config, List<MimeMessage> sent) {
        return new PortalMailer(config) {
            @Override
            void send(MimeMessage m, Address[] recipients) {
                sent.add(m);
            }
        };
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create(base + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String... kv) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create(base + path))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(PortalTest.form(kv)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static String csrf(HttpResponse<String> page) {
        Matcher m = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(page.body());
        assertThat(m.find()).as("csrf field in " + page.body()).isTrue();
        return m.group(1);
    }

    String signIn(String id, String address) throws Exception {
        HttpResponse<String> landing = get("/m/" + id);
        HttpResponse<String> r =
                post("/m/" + id + "/passcode", "csrf", csrf(landing), "address", address);
        assertThat(r.statusCode()).isEqualTo(303);
        HttpResponse<String> codePage = get("/m/" + id + "/code");
        String code = engine.codes.get(id + address);
        HttpResponse<String> ok = post("/m/" + id + "/code", "csrf", csrf(codePage), "code", code);
        assertThat(ok.statusCode()).isEqualTo(303);
        assertThat(ok.headers().firstValue("Location")).hasValue("/m/" + id + "/view");
        return code;
    }

    @Test
    void aPortalStartedWhileItsSessionKeysCannotBeReadShouldAnswer503UntilTheyCanThenServe()
            throws Exception {
        portal.close();
        engine.keysDown = true;
        portal = Portal.start(config, engine, mailer, Clock.systemUTC());
        base = portal.localUrl().toString();

        HttpResponse<String> landing = get("/m/enc00000000000001");
        assertThat(landing.statusCode()).isEqualTo(503);
        assertThat(landing.headers().firstValue("Retry-After")).hasValue("60");
        HttpResponse<String> view = get("/m/enc00000000000001/view");
        assertThat(view.statusCode()).isEqualTo(503);
        assertThat(
                        post("/m/enc00000000000001/passcode", "address", "carol@external.test")
                                .statusCode())
                .isEqualTo(503);
        assertThat(get("/").statusCode()).as("the home page needs no key").isEqualTo(200);

        engine.keysDown = false;
        assertThat(get("/m/enc00000000000001").statusCode()).isEqualTo(200);
        signIn("enc00000000000001", "carol@external.test");
        // read once, kept: a DKM outage now does not sign the reader out
        engine.keysDown = true;
        assertThat(get("/m/enc00000000000001/view").statusCode()).isEqualTo(200);
    }

    @Test
    void healthzShouldSayOkWhileTheStoresAnswerAndUnavailableWhenTheyDoNot() throws Exception {
        HttpResponse<String> ok = get("/healthz");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo("ok\n");
        assertThat(ok.headers().firstValue("Cache-Control")).hasValue("no-store");

        engine.state = PortalRefusal.Reason.UNAVAILABLE;
        HttpResponse<String> down = get("/healthz");
        assertThat(down.statusCode()).isEqualTo(503);
        assertThat(down.body()).isEqualTo("unavailable\n");
        assertThat(down.headers().firstValue("Retry-After")).hasValue("60");

        engine.state = null;
        assertThat(get("/healthz").statusCode()).isEqualTo(200);
        HttpResponse<String> post =
                http.send(
                        HttpRequest.newBuilder(URI.create(base + "/healthz"))
                                .POST(HttpRequest.BodyPublishers.noBody())
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
    }

    @Test
    void everyPageCarriesTheSecurityHeaders() throws Exception {
        HttpResponse<String> r = get("/m/enc00000000000001");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Security-Policy")).hasValue(HttpIo.CSP);
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(r.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
        String cookie = r.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie)
                .startsWith("mailsec_session=")
                .contains("HttpOnly")
                .contains("SameSite=Strict")
                .doesNotContain("Secure");
        assertThat(r.body()).doesNotContain("<script").doesNotContain("style=");
    }

    @Test
    void aPostWithoutTheCsrfTokenIsRefused() throws Exception {
        get("/m/enc00000000000001");
        HttpResponse<String> r =
                post("/m/enc00000000000001/passcode", "address", "carol@external.test");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(engine.codes).isEmpty();
        HttpResponse<String> forged =
                post(
                        "/m/enc00000000000001/passcode",
                        "csrf",
                        "AAAA",
                        "address",
                        "carol@external.test");
        assertThat(forged.statusCode()).isEqualTo(403);
    }

    @Test
    void passcodeSignsInAndShowsTheSanitisedMessage() throws Exception {
        signIn("enc00000000000001", "carol@external.test");
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).getAllRecipients()[0].toString()).isEqualTo("carol@external.test");
        HttpResponse<String> view = get("/m/enc00000000000001/view");
        assertThat(view.statusCode()).isEqualTo(200);
        assertThat(view.body())
                .contains("Quarterly plan")
                .contains("Secret <b>plan</b>")
                .doesNotContain("steal()")
                .doesNotContain("alert(")
                .doesNotContain("tracker.example")
                .doesNotContain("javascript:")
                .doesNotContain("<style")
                .contains("https://ok.example/")
                .contains("id=\"forward\"")
                .contains("id=\"print\"")
                .contains("/attachment/1");
        assertThat(view.headers().firstValue("Content-Security-Policy").orElseThrow())
                .contains("script-src 'self'");
        HttpResponse<String> att = get("/m/enc00000000000001/attachment/1");
        assertThat(att.statusCode()).isEqualTo(200);
        assertThat(att.body()).contains("attachment text");
        assertThat(att.headers().firstValue("Content-Disposition").orElseThrow())
                .startsWith("attachment;");
    }

    @Test
    void doNotForwardHasNoForwardNoPrintNoDownload() throws Exception {
        signIn("dnf00000000000001", "carol@external.test");
        HttpResponse<String> view = get("/m/dnf00000000000001/view");
        assertThat(view.body())
                .doesNotContain("id=\"forward\"")
                .doesNotContain("id=\"print\"")
                .doesNotContain("/attachment/1")
                .contains("no-print")
                .contains("no-extract");
        assertThat(view.headers().firstValue("Content-Security-Policy")).hasValue(HttpIo.CSP);
        assertThat(get("/m/dnf00000000000001/forward").statusCode()).isEqualTo(403);
        assertThat(get("/m/dnf00000000000001/attachment/1").statusCode()).isEqualTo(403);
        assertThat(engine.events).contains("FORWARD_BLOCKED carol@external.test");
    }

    @Test
    void replyAndForwardWithoutASignedInSessionGoBackToSignInOrAreRefused() throws Exception {
        HttpResponse<String> landing = get("/m/enc00000000000001");
        for (String page : List.of("reply", "forward")) {
            HttpResponse<String> shown = get("/m/enc00000000000001/" + page);
            assertThat(shown.statusCode()).as(page).isEqualTo(303);
            assertThat(shown.headers().firstValue("Location"))
                    .as(page)
                    .hasValue("/m/enc00000000000001");
            HttpResponse<String> posted =
                    post(
                            "/m/enc00000000000001/" + page,
                            "csrf",
                            csrf(landing),
                            "all",
                            "0",
                            "body",
                            "Thanks!",
                            "to",
                            "dave@external.test");
            assertThat(posted.statusCode()).as(page).isEqualTo(403);
            assertThat(posted.body()).as(page).contains("Please start again");
        }
        assertThat(sent).isEmpty();
    }

    @Test
    void replyGoesToTheSenderFromTheReader() throws Exception {
        signIn("dnf00000000000001", "carol@external.test");
        HttpResponse<String> form = get("/m/dnf00000000000001/reply");
        HttpResponse<String> r =
                post(
                        "/m/dnf00000000000001/reply",
                        "csrf",
                        csrf(form),
                        "all",
                        "0",
                        "body",
                        "Thanks!");
        assertThat(r.statusCode()).isEqualTo(303);
        MimeMessage reply = sent.get(sent.size() - 1);
        assertThat(reply.getFrom()[0].toString()).isEqualTo("carol@external.test");
        assertThat(reply.getAllRecipients()[0].toString()).isEqualTo("alice@mailsec.test");
        assertThat(reply.getHeader("In-Reply-To")[0]).isEqualTo("<dnf00000000000001@mailsec.test>");
        assertThat(engine.events).contains("REPLIED carol@external.test");
    }

    @Test
    void aUsedPasscodeDoesNotWorkTwice() throws Exception {
        String code = signIn("enc00000000000001", "carol@external.test");
        HttpResponse<String> landing = get("/m/enc00000000000001?other=1");
        post(
                "/m/enc00000000000001/passcode",
                "csrf",
                csrf(landing),
                "address",
                "carol@external.test");
        engine.codes.clear();
        HttpResponse<String> page = get("/m/enc00000000000001/code");
        HttpResponse<String> again =
                post("/m/enc00000000000001/code", "csrf", csrf(page), "code", code);
        assertThat(again.statusCode()).isEqualTo(401);
        assertThat(again.body()).contains("not valid any more");
    }

    @Test
    void fiveWrongPasscodesLock() throws Exception {
        HttpResponse<String> landing = get("/m/enc00000000000001");
        post(
                "/m/enc00000000000001/passcode",
                "csrf",
                csrf(landing),
                "address",
                "carol@external.test");
        HttpResponse<String> page = get("/m/enc00000000000001/code");
        String token = csrf(page);
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            statuses.add(
                    post("/m/enc00000000000001/code", "csrf", token, "code", "00000000")
                            .statusCode());
        }
        assertThat(statuses).containsExactly(401, 401, 401, 401, 423);
        String right = engine.codes.get("enc00000000000001carol@external.test");
        assertThat(post("/m/enc00000000000001/code", "csrf", token, "code", right).statusCode())
                .isEqualTo(423);
    }

    @Test
    void aNonPartyGetsTheSameAnswerButNoMail() throws Exception {
        HttpResponse<String> landing = get("/m/enc00000000000001");
        HttpResponse<String> r =
                post(
                        "/m/enc00000000000001/passcode",
                        "csrf",
                        csrf(landing),
                        "address",
                        "mallory@evil.test");
        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(get("/m/enc00000000000001/code").body()).contains("Check your mailbox");
        Thread.sleep(200);
        assertThat(sent).isEmpty();
    }

    @Test
    void withoutASessionTheMessageRedirectsToTheLanding() throws Exception {
        HttpResponse<String> r = get("/m/enc00000000000001/view");
        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(r.headers().firstValue("Location")).hasValue("/m/enc00000000000001");
    }

    @Test
    void revokedAndUnknownMessagesShowErrorPages() throws Exception {
        assertThat(get("/m/unknown0000000001").statusCode()).isEqualTo(404);
        engine.state = PortalRefusal.Reason.REVOKED;
        HttpResponse<String> r = get("/m/enc00000000000001");
        assertThat(r.statusCode()).isEqualTo(410);
        assertThat(r.body()).contains("withdrawn");
    }

    @Test
    void rateLimitedAndUnavailableEnginesGiveTheirOwnPages() throws Exception {
        engine.state = PortalRefusal.Reason.RATE_LIMITED;
        HttpResponse<String> limited = get("/m/enc00000000000001");
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.body()).contains("Too many requests");
        engine.state = PortalRefusal.Reason.UNAVAILABLE;
        HttpResponse<String> down = get("/m/enc00000000000001");
        assertThat(down.statusCode()).isEqualTo(503);
        assertThat(down.headers().firstValue("Retry-After")).hasValue("60");
        assertThat(down.headers().firstValue("Cache-Control")).hasValue("no-store");
    }

    @Test
    void aSessionForOneMessageDoesNotOpenAnother() throws Exception {
        signIn("enc00000000000001", "carol@external.test");
        HttpResponse<String> other = get("/m/dnf00000000000001/view");
        assertThat(other.statusCode()).isEqualTo(303);
        assertThat(other.headers().firstValue("Location")).hasValue("/m/dnf00000000000001");
    }

    @Test
    void signOutEndsTheSession() throws Exception {
        signIn("enc00000000000001", "carol@external.test");
        HttpResponse<String> view = get("/m/enc00000000000001/view");
        HttpResponse<String> out = post("/m/enc00000000000001/signout", "csrf", csrf(view));
        assertThat(out.statusCode()).isEqualTo(200);
        assertThat(out.headers().firstValue("Set-Cookie").orElseThrow()).contains("Max-Age=0");
        assertThat(get("/m/enc00000000000001/view").statusCode()).isEqualTo(303);
    }

    @Test
    void staticStylesheetIsServed() throws Exception {
        HttpResponse<String> css = get("/static/portal.css");
        assertThat(css.statusCode()).isEqualTo(200);
        assertThat(css.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/css");
        assertThat(css.body()).contains("@media print");
    }
}

package dev.mailsec.portal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The sender pages over the fake engine: sign-in, own messages only, access log, revocation. */
class SenderPagesTest {
    static final String ALICE = "alice@mailsec.test";
    static final String BOB = "bob@mailsec.test";
    static final String CAROL = "carol@external.test";
    static final String ALICES = "enc00000000000001";
    static final String BOBS = "bob00000000000001";

    FakeEngine engine = new FakeEngine();
    final List<MimeMessage> sent = new CopyOnWriteArrayList<>();
    Portal portal;
    HttpClient http;
    CookieManager cookies;
    String base;

    @BeforeEach
    void start() throws Exception {
        PortalTest.addHostileMessage(engine);
        engine.addFrom(BOBS, BOB);
        PortalConfig config = PortalTest.localConfig();
        PortalMailer mailer = PortalTest.keepingMailer(config, sent);
        portal = Portal.start(config, engine, mailer, Clock.systemUTC());
        base = portal.localUrl().toString();
        cookies = new CookieManager();
        http =
                HttpClient.newBuilder()
                        .cookieHandler(cookies)
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .build();
    }

    @AfterEach
    void stop() {
        portal.close();
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

    /** A GET with exactly this Cookie header, outside the client's cookie jar. */
    HttpResponse<String> getWithCookie(String path, String cookie)
            throws IOException, InterruptedException {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(base + path))
                                .header("Cookie", cookie)
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    String cookie(String name) {
        return cookies.getCookieStore().getCookies().stream()
                .filter(c -> c.getName().equals(name))
                .map(HttpCookie::getValue)
                .findFirst()
                .orElseThrow();
    }

    /** Signs in on the sender pages; returns the CSRF token of the message list. */
    String signInAsSender(String address) throws Exception {
        HttpResponse<String> start = get("/sender");
        assertThat(start.statusCode()).isEqualTo(200);
        HttpResponse<String> asked =
                post("/sender/passcode", "csrf", PortalTest.csrf(start), "address", address);
        assertThat(asked.statusCode()).isEqualTo(303);
        assertThat(asked.headers().firstValue("Location")).hasValue("/sender/code");
        HttpResponse<String> form = get("/sender/code");
        assertThat(form.statusCode()).isEqualTo(200);
        HttpResponse<String> ok =
                post(
                        "/sender/code",
                        "csrf",
                        PortalTest.csrf(form),
                        "code",
                        engine.codes.get("sender:" + address));
        assertThat(ok.statusCode()).isEqualTo(303);
        assertThat(ok.headers().firstValue("Location")).hasValue("/sender/messages");
        HttpResponse<String> list = get("/sender/messages");
        assertThat(list.statusCode()).isEqualTo(200);
        return PortalTest.csrf(list);
    }

    @Test
    void aSenderShouldSeeOnlyTheirMessagesWhoOpenedThemAndRevokeOne() throws Exception {
        engine.open(ALICES, CAROL, "10.0.0.1");
        String csrf = signInAsSender(ALICE);
        String list = get("/sender/messages").body();
        assertThat(list).contains("data-licence=\"" + ALICES + "\"").doesNotContain(BOBS);
        assertThat(list).contains("carol@external.test").contains("active");
        assertThat(engine.events).contains("SENDER_LISTED " + ALICE);

        HttpResponse<String> detail = get("/sender/messages/" + ALICES);
        assertThat(detail.statusCode()).isEqualTo(200);
        assertThat(detail.body())
                .contains("id=\"access-log\"")
                .contains("data-event=\"OPENED\"")
                .contains(CAROL)
                .contains("id=\"revoke\"");
        assertThat(engine.log.get(ALICES))
                .anySatisfy(e -> assertThat(e.type().name()).isEqualTo("SENDER_VIEWED"));

        // bob's message does not exist for alice: not shown, not revocable
        assertThat(get("/sender/messages/" + BOBS).statusCode()).isEqualTo(404);
        assertThat(
                        post(
                                        "/sender/messages/" + BOBS + "/revoke",
                                        "csrf",
                                        csrf,
                                        "reason",
                                        "mine now")
                                .statusCode())
                .isEqualTo(404);
        assertThat(engine.revoked).doesNotContainKey(BOBS);

        // a reason is required
        assertThat(
                        post("/sender/messages/" + ALICES + "/revoke", "csrf", csrf, "reason", " ")
                                .statusCode())
                .isEqualTo(400);
        assertThat(engine.revoked).isEmpty();
        HttpResponse<String> revoked =
                post(
                        "/sender/messages/" + ALICES + "/revoke",
                        "csrf",
                        csrf,
                        "reason",
                        "Sent to the wrong person");
        assertThat(revoked.statusCode()).isEqualTo(303);
        assertThat(revoked.headers().firstValue("Location"))
                .hasValue("/sender/messages/" + ALICES + "?revoked=1");
        assertThat(engine.revoked.get(ALICES).reason()).isEqualTo("Sent to the wrong person");
        assertThat(engine.revoked.get(ALICES).by()).isEqualTo(ALICE);
        HttpResponse<String> after = get("/sender/messages/" + ALICES + "?revoked=1");
        assertThat(after.body())
                .contains("id=\"revoked-notice\"")
                .contains("Sent to the wrong person")
                .doesNotContain("id=\"revoke\"");
        assertThat(get("/sender/messages").body()).contains("revoked");
        // the reader's link is now gone
        assertThat(get("/m/" + ALICES).statusCode()).isEqualTo(410);
    }

    @Test
    void anAddressThatSentNothingShouldGetTheSameAnswerAndNoPasscode() throws Exception {
        HttpResponse<String> start = get("/sender");
        HttpResponse<String> asked =
                post("/sender/passcode", "csrf", PortalTest.csrf(start), "address", CAROL);
        assertThat(asked.statusCode()).isEqualTo(303);
        assertThat(asked.headers().firstValue("Location")).hasValue("/sender/code");
        assertThat(get("/sender/code").statusCode()).isEqualTo(200);
        assertThat(engine.codes).doesNotContainKey("sender:" + CAROL);
        assertThat(engine.events).contains("SENDER_REFUSED " + CAROL);
        Thread.sleep(200);
        assertThat(sent).isEmpty();
        // not signed in: the list sends back to the start
        HttpResponse<String> list = get("/sender/messages");
        assertThat(list.statusCode()).isEqualTo(303);
        assertThat(list.headers().firstValue("Location")).hasValue("/sender");
    }

    @Test
    void theSenderPasscodeShouldBeMailedToTheSender() throws Exception {
        signInAsSender(ALICE);
        for (int i = 0; i < 50 && sent.isEmpty(); i++) {
            Thread.sleep(50);
        }
        assertThat(sent).hasSize(1);
        MimeMessage m = sent.get(0);
        assertThat(m.getSubject()).isEqualTo(PortalMailer.SENDER_PASSCODE_SUBJECT);
        assertThat(m.getAllRecipients()[0].toString()).isEqualTo(ALICE);
        assertThat(m.getContent().toString()).contains("http://127.0.0.1:8090/sender");
    }

    @Test
    void aReaderSessionShouldNeverOpenSenderPagesNorASenderSessionAMessage() throws Exception {
        // carol, signed in as a reader, has no sender session
        HttpResponse<String> landing = get("/m/" + ALICES);
        post("/m/" + ALICES + "/passcode", "csrf", PortalTest.csrf(landing), "address", CAROL);
        HttpResponse<String> codePage = get("/m/" + ALICES + "/code");
        post(
                "/m/" + ALICES + "/code",
                "csrf",
                PortalTest.csrf(codePage),
                "code",
                engine.codes.get(ALICES + CAROL));
        assertThat(get("/m/" + ALICES + "/view").statusCode()).isEqualTo(200);
        String reader = cookie("mailsec_session");
        HttpResponse<String> asSender =
                getWithCookie("/sender/messages", "mailsec_session_sender=" + reader);
        assertThat(asSender.statusCode()).isEqualTo(303);
        assertThat(asSender.headers().firstValue("Location")).hasValue("/sender");

        // alice, signed in as a sender: her sender cookie opens no message (she is a party)
        signInAsSender(ALICE);
        String sender = cookie("mailsec_session_sender");
        HttpResponse<String> asReader =
                getWithCookie("/m/" + ALICES + "/view", "mailsec_session=" + sender);
        assertThat(asReader.statusCode()).isEqualTo(303);
        assertThat(asReader.headers().firstValue("Location")).hasValue("/m/" + ALICES);
        assertThat(
                        getWithCookie("/sender/messages", "mailsec_session_sender=" + sender)
                                .statusCode())
                .isEqualTo(200);
    }

    @Test
    void formsWithoutTheCsrfTokenAndSignedOutSessionsShouldBeRefused() throws Exception {
        String csrf = signInAsSender(ALICE);
        assertThat(post("/sender/messages/" + ALICES + "/revoke", "reason", "forged").statusCode())
                .isEqualTo(403);
        assertThat(
                        post(
                                        "/sender/messages/" + ALICES + "/revoke",
                                        "csrf",
                                        "x" + csrf,
                                        "reason",
                                        "forged")
                                .statusCode())
                .isEqualTo(403);
        assertThat(engine.revoked).isEmpty();
        String session = cookie("mailsec_session_sender");
        HttpResponse<String> out = post("/sender/signout", "csrf", csrf);
        assertThat(out.statusCode()).isEqualTo(200);
        assertThat(out.body()).contains("You are signed out");
        // the old cookie, replayed, is ended
        HttpResponse<String> replay =
                getWithCookie("/sender/messages", "mailsec_session_sender=" + session);
        assertThat(replay.statusCode()).isEqualTo(303);
        assertThat(get("/sender/signout").statusCode()).isEqualTo(303);
    }

    @Test
    void wrongPasscodesShouldCountDownAndLock() throws Exception {
        HttpResponse<String> start = get("/sender");
        post("/sender/passcode", "csrf", PortalTest.csrf(start), "address", ALICE);
        HttpResponse<String> form = get("/sender/code");
        String csrf = PortalTest.csrf(form);
        String wrong =
                engine.codes.get("sender:" + ALICE).equals("00000000") ? "11111111" : "00000000";
        HttpResponse<String> first = post("/sender/code", "csrf", csrf, "code", wrong);
        assertThat(first.statusCode()).isEqualTo(401);
        assertThat(first.body()).contains("4 attempts left");
        for (int i = 0; i < 3; i++) {
            post("/sender/code", "csrf", csrf, "code", wrong);
        }
        assertThat(post("/sender/code", "csrf", csrf, "code", wrong).statusCode()).isEqualTo(423);
    }

    @Test
    void theSenderPagesShouldAnswer503WhileTheKeysOrTheStoreAreDown() throws Exception {
        String csrf = signInAsSender(ALICE);
        engine.state = PortalRefusal.Reason.UNAVAILABLE;
        HttpResponse<String> down = get("/sender/messages");
        assertThat(down.statusCode()).isEqualTo(503);
        assertThat(down.headers().firstValue("Retry-After")).hasValue("60");
        assertThat(
                        post("/sender/messages/" + ALICES + "/revoke", "csrf", csrf, "reason", "x")
                                .statusCode())
                .isEqualTo(503);
        engine.state = null;
        assertThat(get("/sender/messages").statusCode()).isEqualTo(200);
    }

    @Test
    void hostileInputShouldGetPlainAnswers() throws Exception {
        String csrf = signInAsSender(ALICE);
        assertThat(get("/sender/messages?page=-1").statusCode()).isEqualTo(200);
        assertThat(get("/sender/messages?page=99999999999").statusCode()).isEqualTo(200);
        assertThat(get("/sender/messages/..%2F..%2Fetc").statusCode()).isEqualTo(404);
        HttpResponse<String> longReason =
                post(
                        "/sender/messages/" + ALICES + "/revoke",
                        "csrf",
                        csrf,
                        "reason",
                        "x".repeat(501));
        assertThat(longReason.statusCode()).isEqualTo(400);
        HttpResponse<String> script =
                post(
                        "/sender/messages/" + ALICES + "/revoke",
                        "csrf",
                        csrf,
                        "reason",
                        "<script>alert(1)</script>");
        assertThat(script.statusCode()).isEqualTo(303);
        assertThat(get("/sender/messages/" + ALICES).body())
                .doesNotContain("<script>alert(1)")
                .contains("&lt;script&gt;");
        assertThat(SenderHandlers.reason("a\u0000b")).isEmpty();
        assertThat(SenderHandlers.reason(" two\r\nlines ")).hasValue("two lines");
        assertThat(SenderHandlers.page("3")).isEqualTo(3);
        assertThat(SenderHandlers.page("x")).isZero();
    }
}

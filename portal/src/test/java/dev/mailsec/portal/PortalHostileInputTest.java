package dev.mailsec.portal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.CookieManager;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The attacks of issue 13 against a real portal (the JDK HTTP server with the portal's own
 * settings) over raw sockets: connections that trickle their headers or send nothing, methods the
 * routes do not take, an oversized form, and a session cookie replayed after sign-out.
 */
class PortalHostileInputTest {

    final FakeEngine engine = new FakeEngine();
    final List<MimeMessage> sent = new CopyOnWriteArrayList<>();
    final List<Socket> hostile = new CopyOnWriteArrayList<>();
    Portal portal;
    HttpClient http;
    String base;

    @BeforeEach
    void start() throws Exception {
        PortalTest.addHostileMessage(engine);
        PortalConfig config = PortalTest.localConfig();
        PortalMailer mailer = PortalTest.keepingMailer(config, sent);
        portal = Portal.start(config, engine, mailer, Clock.systemUTC());
        base = portal.localUrl().toString();
        http =
                HttpClient.newBuilder()
                        .cookieHandler(new CookieManager())
                        .connectTimeout(Duration.ofSeconds(5))
                        .followRedirects(HttpClient.Redirect.NEVER)
                        .build();
    }

    @AfterEach
    void stop() {
        for (Socket s : hostile) {
            try {
                s.close();
            } catch (IOException e) {
                // closing the attacker's side
            }
        }
        portal.close();
    }

    Socket connect() throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", portal.port()), 5000);
        hostile.add(s);
        return s;
    }

    /** Sends one byte of a never-ending header every 500 ms on each socket, until the test ends. */
    void trickle(List<Socket> sockets) throws IOException {
        for (Socket s : sockets) {
            s.getOutputStream()
                    .write(
                            "GET /m/enc00000000000001 HTTP/1.1\r\nHost: x\r\nX-Slow: "
                                    .getBytes(StandardCharsets.US_ASCII));
        }
        Thread t =
                new Thread(
                        () -> {
                            try {
                                while (true) {
                                    Thread.sleep(500);
                                    for (Socket s : sockets) {
                                        try {
                                            s.getOutputStream().write('a');
                                        } catch (IOException e) {
                                            // closed by the server: what the fix does
                                        }
                                    }
                                }
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        },
                        "trickler");
        t.setDaemon(true);
        t.start();
    }

    HttpResponse<String> get(String path, Duration timeout)
            throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A raw request; the status line and headers of the answer. */
    String raw(String request) throws IOException {
        try (Socket s = connect()) {
            s.setSoTimeout(5000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            // the status line and headers only: the server may keep the connection open after them
            StringBuilder answer = new StringBuilder();
            InputStream in = s.getInputStream();
            int b;
            while (answer.indexOf("\r\n\r\n") < 0 && (b = in.read()) >= 0) {
                answer.append((char) b);
            }
            return answer.toString().trim();
        }
    }

    @Test
    void aReaderShouldGetThePageWhileManyConnectionsTrickleHeadersOrSendNothing() throws Exception {
        List<Socket> slow = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            slow.add(connect());
            connect(); // and one that sends nothing at all
        }
        trickle(slow);
        Thread.sleep(1000);
        long t0 = System.nanoTime();
        HttpResponse<String> page = get("/m/enc00000000000001", Duration.ofSeconds(5));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aConnectionThatTricklesItsHeadersShouldBeClosedWithinTheRequestTimeout() throws Exception {
        Socket slow = connect();
        Socket silent = connect();
        trickle(List.of(slow));
        long t0 = System.nanoTime();
        assertThat(closedWithin(slow, Duration.ofSeconds(Portal.MAX_REQUEST_SECONDS + 5))).isTrue();
        assertThat(closedWithin(silent, Duration.ofSeconds(Portal.MAX_REQUEST_SECONDS + 12)))
                .isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - t0))
                .isGreaterThanOrEqualTo(Duration.ofSeconds(Portal.MAX_REQUEST_SECONDS - 1));
    }

    static boolean closedWithin(Socket s, Duration d) throws IOException {
        long deadline = System.nanoTime() + d.toNanos();
        InputStream in = s.getInputStream();
        while (System.nanoTime() < deadline) {
            s.setSoTimeout(500);
            try {
                int b = in.read();
                if (b < 0) {
                    return true;
                }
            } catch (SocketTimeoutException e) {
                // still open
            } catch (IOException e) {
                return true; // reset
            }
        }
        return false;
    }

    @Test
    void oneClientShouldNotHaveMoreThanItsShareOfRequestsInService() throws Exception {
        List<Socket> many = new ArrayList<>();
        for (int i = 0; i < 3 * Portal.MAX_REQUESTS_PER_CLIENT; i++) {
            many.add(connect());
        }
        for (Socket s : many) {
            // a POST whose body never comes: the handler waits for it, holding a worker
            s.getOutputStream()
                    .write(
                            ("POST /m/enc00000000000001/passcode HTTP/1.1\r\nHost: x\r\n"
                                            + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\na")
                                    .getBytes(StandardCharsets.US_ASCII));
        }
        Thread.sleep(1000);
        // those beyond the bound are closed at once (answering would make the JDK server drain
        // their bodies)
        int refused = 0;
        for (Socket s : many) {
            s.setSoTimeout(200);
            try {
                if (s.getInputStream().read() < 0) {
                    refused++;
                }
            } catch (SocketTimeoutException e) {
                // still waiting for its body
            } catch (IOException e) {
                refused++; // reset
            }
        }
        assertThat(refused).isGreaterThanOrEqualTo(2 * Portal.MAX_REQUESTS_PER_CLIENT - 1);
    }

    @Test
    void staticFilesAndTheHomePageShouldOnlyTakeGetAndHead() throws Exception {
        for (String method : List.of("PUT", "DELETE", "TRACE", "POST", "OPTIONS", "PATCH")) {
            for (String path : List.of("/static/portal.css", "/static/nothing.js", "/")) {
                String head =
                        raw(
                                method
                                        + " "
                                        + path
                                        + " HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                assertThat(head)
                        .as(method + " " + path)
                        .startsWith("HTTP/1.1 405")
                        .containsIgnoringCase("Allow: GET, HEAD");
            }
        }
        assertThat(
                        raw(
                                "TRACE /m/enc00000000000001/view HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
                .startsWith("HTTP/1.1 405")
                .containsIgnoringCase("Allow: GET, HEAD");
        assertThat(
                        raw(
                                "PUT /m/enc00000000000001/code HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"))
                .startsWith("HTTP/1.1 405")
                .containsIgnoringCase("Allow: GET, HEAD, POST");
        assertThat(raw("HEAD /static/portal.css HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
                .startsWith("HTTP/1.1 200");
    }

    @Test
    void anOversizedFormShouldGet413WithoutBeingRead() throws Exception {
        String head =
                raw(
                        "POST /m/enc00000000000001/passcode HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                                + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000000\r\n\r\naddress=x");
        assertThat(head).startsWith("HTTP/1.1 413");
    }

    @Test
    void tooManyOrTooLargeHeadersShouldBeRefused() throws Exception {
        StringBuilder many = new StringBuilder("GET /m/enc00000000000001 HTTP/1.1\r\nHost: x\r\n");
        for (int i = 0; i < 500; i++) {
            many.append("X-H").append(i).append(": v\r\n");
        }
        assertThat(rawOrClosed(many + "Connection: close\r\n\r\n")).isEqualTo("closed");
        String big =
                "GET /m/enc00000000000001 HTTP/1.1\r\nHost: x\r\nX-Big: "
                        + "a".repeat(100_000)
                        + "\r\nConnection: close\r\n\r\n";
        assertThat(rawOrClosed(big)).isEqualTo("closed");
        // a page's worth of ordinary headers still works
        assertThat(
                        raw(
                                "GET /m/enc00000000000001 HTTP/1.1\r\nHost: x\r\nUser-Agent: "
                                        + "b".repeat(2000)
                                        + "\r\nConnection: close\r\n\r\n"))
                .startsWith("HTTP/1.1 200");
    }

    /** The JDK server closes the connection on too many or too large headers, without an answer. */
    String rawOrClosed(String request) {
        try {
            String head = raw(request);
            return head.isEmpty() ? "closed" : head;
        } catch (IOException e) {
            return "closed";
        }
    }

    @Test
    void aSessionCookieReplayedAfterSignOutShouldServeNothing() throws Exception {
        PortalTest t = new PortalTest();
        t.http = http;
        t.base = base;
        t.engine = engine;
        t.signIn("enc00000000000001", "carol@external.test");
        HttpResponse<String> view = t.get("/m/enc00000000000001/view");
        assertThat(view.statusCode()).isEqualTo(200);
        String cookie =
                ((CookieManager) http.cookieHandler().orElseThrow())
                        .getCookieStore().getCookies().stream()
                                .filter(c -> c.getName().equals("mailsec_session"))
                                .findFirst()
                                .orElseThrow()
                                .getValue();
        HttpResponse<String> out =
                t.post("/m/enc00000000000001/signout", "csrf", PortalTest.csrf(view));
        assertThat(out.statusCode()).isEqualTo(200);
        HttpClient replay =
                HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        for (String path :
                List.of(
                        "/m/enc00000000000001/view",
                        "/m/enc00000000000001/attachment/1",
                        "/m/enc00000000000001/reply")) {
            HttpResponse<String> r =
                    replay.send(
                            HttpRequest.newBuilder(URI.create(base + path))
                                    .header("Cookie", "mailsec_session=" + cookie)
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(path).isEqualTo(303);
            assertThat(r.body()).doesNotContain("Quarterly plan").doesNotContain("attachment text");
        }
        HttpResponse<String> replyPost =
                replay.send(
                        HttpRequest.newBuilder(URI.create(base + "/m/enc00000000000001/reply"))
                                .header("Cookie", "mailsec_session=" + cookie)
                                .header("Content-Type", "application/x-www-form-urlencoded")
                                .POST(
                                        HttpRequest.BodyPublishers.ofString(
                                                "csrf="
                                                        + URLEncoder.encode(
                                                                PortalTest.csrf(view),
                                                                StandardCharsets.UTF_8)
                                                        + "&body=hi"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(replyPost.statusCode()).isEqualTo(403);
        assertThat(sent).hasSize(1); // only the passcode
    }

    static void write(OutputStream out, String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.US_ASCII));
    }
}

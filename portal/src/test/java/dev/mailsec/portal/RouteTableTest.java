package dev.mailsec.portal;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.mailsec.portal.SessionCodec.Session;
import dev.mailsec.portal.SessionCodec.Stage;
import dev.mailsec.portal.SessionFilter.Need;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.mail.MessagingException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The route table and the session filter on their own, with a table of made-up routes over a real
 * JDK server.
 */
class RouteTableTest {

    static final String ID = "abc0000000000001";

    final FakeEngine engine = new FakeEngine();
    final SessionCodec codec = new SessionCodec(FakeEngine.KEYS, new SecureRandom());
    final List<String> handled = new CopyOnWriteArrayList<>();
    final HttpClient http =
            HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    HttpServer server;
    String base;

    @BeforeEach
    void start() throws IOException {
        PortalConfig config =
                PortalConfig.builder(URI.create("http://127.0.0.1:8090"))
                        .bind("127.0.0.1", 0)
                        .build();
        RouteTable table =
                new RouteTable(new SessionFilter(config, engine, codec, Clock.systemUTC()), false)
                        .get("/open/{id}/?", Need.NONE, c -> answer(c, "open " + c.id()))
                        .get(
                                "/mine/{id}",
                                Need.SIGNED_IN,
                                c -> answer(c, "read by " + c.session().address()))
                        .post(
                                "/mine/{id}",
                                Need.SIGNED_IN,
                                c -> answer(c, "posted " + c.form().get("x")))
                        .post("/drop", Need.NONE, c -> answer(c, "dropped"))
                        .file("/files/{file}", c -> answer(c, "file " + c.param("file")));
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext(
                "/",
                ex -> {
                    try {
                        table.serve(ex);
                    } catch (PortalRefusal | MessagingException e) {
                        throw new IOException(e);
                    } finally {
                        ex.close();
                    }
                });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    void answer(RouteTable.Call c, String what) throws IOException {
        handled.add(c.ex.getRequestMethod() + " " + what);
        HttpIo.send(c.ex, 200, "text/plain; charset=utf-8", what.getBytes(StandardCharsets.UTF_8));
    }

    HttpResponse<String> send(String method, String path, String cookie, String form)
            throws Exception {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(base + path))
                        .method(
                                method,
                                form == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(form));
        if (form != null) {
            b.header("Content-Type", "application/x-www-form-urlencoded");
        }
        if (cookie != null) {
            b.header("Cookie", "mailsec_session=" + cookie);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aMethodThePathsRoutesDoNotTakeShouldGet405WithTheirMethodsInAllow() throws Exception {
        assertThat(send("PUT", "/open/" + ID, null, null).headers().firstValue("Allow"))
                .hasValue("GET, HEAD");
        assertThat(send("DELETE", "/mine/" + ID, null, null).headers().firstValue("Allow"))
                .hasValue("GET, HEAD, POST");
        HttpResponse<String> get = send("GET", "/drop", null, null);
        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(get.headers().firstValue("Allow")).hasValue("POST");
        assertThat(handled).isEmpty();
    }

    @Test
    void aPathNoRouteHasShouldGet404AndATemplateShouldMatchTheWholePath() throws Exception {
        for (String path :
                List.of("/nothing", "/open/short", "/open/" + ID + "/more", "/mine/" + ID + "/")) {
            assertThat(send("GET", path, null, null).statusCode()).as(path).isEqualTo(404);
        }
        assertThat(send("GET", "/open/" + ID + "/", null, null).body()).isEqualTo("open " + ID);
        assertThat(handled).containsExactly("GET open " + ID);
    }

    @Test
    void headShouldBeServedByTheGetRouteAndFilesShouldBeCacheable() throws Exception {
        HttpResponse<String> head = send("HEAD", "/open/" + ID, null, null);
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("Cache-Control")).hasValue("no-store");
        HttpResponse<String> file = send("GET", "/files/a/b.css", null, null);
        assertThat(file.body()).isEqualTo("file a/b.css");
        assertThat(file.headers().firstValue("Cache-Control")).hasValue("public, max-age=3600");
        assertThat(handled).containsExactly("HEAD open " + ID, "GET file a/b.css");
    }

    @Test
    void withoutTheSessionARouteNeedsAGetShouldGoToTheLandingPageAndAPostShouldBeRefused()
            throws Exception {
        Session pending =
                codec.create(
                        Stage.PENDING,
                        ID,
                        "carol@external.test",
                        Instant.now().plus(Duration.ofMinutes(5)));
        Session otherMessage =
                codec.create(
                        Stage.SIGNED_IN,
                        "xyz0000000000001",
                        "carol@external.test",
                        Instant.now().plus(Duration.ofMinutes(5)));
        for (Session s : List.of(pending, otherMessage)) {
            String cookie = codec.encode(s);
            HttpResponse<String> get = send("GET", "/mine/" + ID, cookie, null);
            assertThat(get.statusCode()).as(s.toString()).isEqualTo(303);
            assertThat(get.headers().firstValue("Location")).hasValue("/m/" + ID);
            HttpResponse<String> post =
                    send("POST", "/mine/" + ID, cookie, "csrf=" + enc(codec.csrfToken(s)) + "&x=1");
            assertThat(post.statusCode()).as(s.toString()).isEqualTo(403);
            assertThat(post.body()).contains("Please start again");
        }
        assertThat(send("GET", "/mine/" + ID, null, null).statusCode()).isEqualTo(303);
        assertThat(handled).isEmpty();
    }

    @Test
    void aSignedInSessionShouldBeAdmittedWithItsCsrfTokenUntilItIsSignedOut() throws Exception {
        Session s =
                codec.create(
                        Stage.SIGNED_IN,
                        ID,
                        "carol@external.test",
                        Instant.now().plus(Duration.ofMinutes(5)));
        String cookie = codec.encode(s);
        assertThat(send("GET", "/mine/" + ID, cookie, null).body())
                .isEqualTo("read by carol@external.test");
        assertThat(send("POST", "/mine/" + ID, cookie, "x=1").statusCode()).isEqualTo(403);
        assertThat(send("POST", "/mine/" + ID, cookie, "csrf=AAAA&x=1").statusCode())
                .isEqualTo(403);
        assertThat(
                        send(
                                        "POST",
                                        "/mine/" + ID,
                                        cookie,
                                        "csrf=" + enc(codec.csrfToken(s)) + "&x=1")
                                .body())
                .isEqualTo("posted 1");
        engine.endSession(s.nonce(), s.expires());
        assertThat(send("GET", "/mine/" + ID, cookie, null).statusCode()).isEqualTo(303);
        assertThat(handled).containsExactly("GET read by carol@external.test", "POST posted 1");
    }

    static String enc(String v) {
        return URLEncoder.encode(v, StandardCharsets.UTF_8);
    }
}

package dev.mailsec.cli.check;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PortalCheckTest {

    private String check(URI portal) {
        StringWriter out = new StringWriter();
        new PortalCheck(Duration.ofSeconds(2)).check(portal, new Report(new PrintWriter(out)));
        return out.toString();
    }

    @Test
    void aPortalAnsweringItsHealthEndpointShouldPassAndAnyOtherAnswerFail() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext(
                "/healthz",
                exchange -> {
                    exchange.sendResponseHeaders(200, -1);
                    exchange.close();
                });
        server.createContext(
                "/sick/healthz",
                exchange -> {
                    exchange.sendResponseHeaders(503, -1);
                    exchange.close();
                });
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            assertThat(check(URI.create(base)))
                    .isEqualTo("ok portal " + base + "/healthz: answers 200\n");
            assertThat(check(URI.create(base + "/sick/")))
                    .isEqualTo("error portal " + base + "/sick/healthz: answers 503, not 200\n");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aPortalNotListeningShouldBeAnError() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        assertThat(check(URI.create("http://127.0.0.1:" + port)))
                .startsWith("error portal http://127.0.0.1:" + port + "/healthz: not answering: ");
    }
}

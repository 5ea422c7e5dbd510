package dev.mailsec.portal;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzz target for the portal's request parsing ({@link HttpIo#query}, {@link HttpIo#form}, {@link
 * HttpIo#cookie}) over a request with a fuzzed query string, Cookie header, Content-Type and body
 * (the query string goes into the request URI as the JDK's server would have it, raw): they return
 * (an empty map or null for what they cannot use); only {@code form}'s {@link IOException} for a
 * body over {@link HttpIo#MAX_FORM} may come out. Seeds (requests as the portal's pages and a
 * browser send them) are in {@code
 * src/test/resources/dev/mailsec/portal/HttpIoFuzzTestInputs/parse/}.
 */
class HttpIoFuzzTest {

    /**
     * The input is the query string, the Cookie header and the Content-Type, each ending at a LF,
     * then the body.
     */
    @FuzzTest(maxDuration = "5m")
    @Timeout(10)
    void parse(byte[] input) {
        String[] lines = new String(input, StandardCharsets.ISO_8859_1).split("\n", 4);
        String query = lines[0];
        String cookie = lines.length > 1 ? lines[1] : "";
        String type = lines.length > 2 ? lines[2] : "application/x-www-form-urlencoded";
        byte[] body =
                lines.length > 3 ? lines[3].getBytes(StandardCharsets.ISO_8859_1) : new byte[0];
        URI uri;
        try {
            uri = new URI("http", null, "127.0.0.1", 8090, "/m/abc", null, null);
            uri = URI.create(uri + "?" + query);
        } catch (URISyntaxException | IllegalArgumentException notAUri) {
            // the JDK's server rejects a request line that is not a URI before any handler runs
            return;
        }
        Exchange ex = new Exchange(uri, body);
        try {
            ex.getRequestHeaders().add("Cookie", cookie);
            ex.getRequestHeaders().add("Content-Type", type);
        } catch (IllegalArgumentException notAHeader) {
            // a CR the JDK's server would not have taken into a header value
            return;
        }
        HttpIo.query(ex);
        HttpIo.cookie(ex, "mailsec_session");
        HttpIo.cookie(ex, "__Host-mailsec_session");
        try {
            HttpIo.form(ex);
        } catch (IOException tooLarge) {
            if (body.length <= HttpIo.MAX_FORM) {
                throw new IllegalStateException(
                        "form refused a body of " + body.length + " bytes", tooLarge);
            }
        }
    }

    /** A request as the JDK's HTTP server hands it to a handler, without a socket. */
    private static final class Exchange extends HttpExchange {
        private final URI uri;
        private final InputStream body;
        private final Headers request = new Headers();
        private final Headers response = new Headers();

        Exchange(URI uri, byte[] body) {
            this.uri = uri;
            this.body = new ByteArrayInputStream(body);
        }

        @Override
        public Headers getRequestHeaders() {
            return request;
        }

        @Override
        public Headers getResponseHeaders() {
            return response;
        }

        @Override
        public URI getRequestURI() {
            return uri;
        }

        @Override
        public String getRequestMethod() {
            return "POST";
        }

        @Override
        public HttpContext getHttpContext() {
            return null;
        }

        @Override
        public void close() {}

        @Override
        public InputStream getRequestBody() {
            return body;
        }

        @Override
        public OutputStream getResponseBody() {
            return new ByteArrayOutputStream();
        }

        @Override
        public void sendResponseHeaders(int code, long length) {}

        @Override
        public InetSocketAddress getRemoteAddress() {
            return new InetSocketAddress("127.0.0.1", 40000);
        }

        @Override
        public int getResponseCode() {
            return -1;
        }

        @Override
        public InetSocketAddress getLocalAddress() {
            return new InetSocketAddress("127.0.0.1", 8090);
        }

        @Override
        public String getProtocol() {
            return "HTTP/1.1";
        }

        @Override
        public Object getAttribute(String name) {
            return null;
        }

        @Override
        public void setAttribute(String name, Object value) {}

        @Override
        public void setStreams(InputStream i, OutputStream o) {}

        @Override
        public HttpPrincipal getPrincipal() {
            return null;
        }
    }
}

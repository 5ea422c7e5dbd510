package dev.mailsec.tls.connector.mtasts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SocketPolicyFetcherTest {

    private static final String POLICY =
            "version: STSv1\r\nmode: enforce\r\nmx: mx.example.test\r\nmax_age: 600\r\n";

    private static MtaStsPolicy read(String response) throws IOException {
        return SocketPolicyFetcher.read(
                new ByteArrayInputStream(response.getBytes(StandardCharsets.ISO_8859_1)));
    }

    @Test
    void readShouldTakeABodyByContentLength() throws Exception {
        MtaStsPolicy policy =
                read(
                        "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: "
                                + POLICY.length()
                                + "\r\n\r\n"
                                + POLICY
                                + "trailing garbage after the body");

        assertThat(policy.mode()).isEqualTo(MtaStsPolicy.Mode.ENFORCE);
        assertThat(policy.mxPatterns()).containsExactly("mx.example.test");
    }

    @Test
    void readShouldDecodeChunks() throws Exception {
        String first = POLICY.substring(0, 20);
        String second = POLICY.substring(20);
        MtaStsPolicy policy =
                read(
                        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n"
                                + Integer.toHexString(first.length())
                                + "\r\n"
                                + first
                                + "\r\n"
                                + Integer.toHexString(second.length())
                                + ";ext=1\r\n"
                                + second
                                + "\r\n0\r\n\r\n");

        assertThat(policy.maxAgeSeconds()).isEqualTo(600);
    }

    @Test
    void readShouldTakeABodyUntilCloseWithoutLength() throws Exception {
        assertThat(read("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\n" + POLICY).mode())
                .isEqualTo(MtaStsPolicy.Mode.ENFORCE);
    }

    @Test
    void readShouldRefuseRedirectsOtherTypesAndGarbage() {
        assertThatThrownBy(
                        () ->
                                read(
                                        "HTTP/1.1 301 Moved\r\nLocation: https://evil.test/\r\nContent-Length: 0\r\n\r\n"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("HTTP status 301");
        assertThatThrownBy(
                        () -> read("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + POLICY))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("expected text/plain");
        assertThatThrownBy(() -> read("SSH-2.0-OpenSSH\r\n"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("not an HTTP response");
        assertThatThrownBy(
                        () ->
                                read(
                                        "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("bad chunk size");
        assertThatThrownBy(() -> read("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("connection closed");
    }

    @Test
    void readShouldRefuseBodiesOverTheLimit() {
        String big = POLICY + "x".repeat(MtaStsPolicy.MAX_BYTES);
        assertThatThrownBy(
                        () ->
                                read(
                                        "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: "
                                                + big.length()
                                                + "\r\n\r\n"
                                                + big))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("larger than");
        assertThatThrownBy(
                        () ->
                                read(
                                        "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n"
                                                + Integer.toHexString(big.length())
                                                + "\r\n"
                                                + big
                                                + "\r\n0\r\n\r\n"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("larger than");
    }
}

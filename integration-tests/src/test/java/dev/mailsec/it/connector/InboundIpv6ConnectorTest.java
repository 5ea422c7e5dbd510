package dev.mailsec.it.connector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsec.it.harness.Delivery;
import dev.mailsec.it.harness.JamesExtension;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An inbound connector covering an IPv6 client range, on a real James 3.8.1 reached over IPv6
 * ({@code ::1}). James 3.8.1 cannot bind an IPv6 address, so its SMTP server listens on {@code
 * 0.0.0.0} (dual-stack). The connector {@code v6} covers {@code ::1/128} and requires TLS: a client
 * on {@code ::1} in clear is refused at MAIL FROM, the same client over STARTTLS is accepted, and a
 * client on {@code 127.0.0.1} in clear (not in the range) is accepted, which shows the range is
 * what decides.
 */
class InboundIpv6ConnectorTest {

    private static final Path CONNECTORS = writeConnectors();

    @RegisterExtension
    static JamesExtension james =
            JamesExtension.builder()
                    .smtpBindAddress("0.0.0.0")
                    .extraSmtpHandlers(
                            "<handler class=\"dev.mailsec.smtp.connector.EnforceInboundConnectors\">"
                                    + "<connectors>"
                                    + CONNECTORS
                                    + "</connectors></handler>")
                    .build();

    private static Path writeConnectors() {
        try {
            Path file = Files.createTempFile("mailsec-connectors-v6-", ".xml");
            Files.write(
                    file,
                    ("<connectors>\n"
                                    + "  <inbound name=\"v6\">\n"
                                    + "    <clientNetwork>::1/128</clientNetwork>\n"
                                    + "    <clientNetwork>2001:db8::/32</clientNetwork>\n"
                                    + "    <requires tls=\"true\"/>\n"
                                    + "  </inbound>\n"
                                    + "</connectors>\n")
                            .getBytes(StandardCharsets.UTF_8));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    static void removeConnectors() throws IOException {
        Files.deleteIfExists(CONNECTORS);
    }

    @Test
    void ipv6ClientInTheRangeShouldBeRefusedInClear() throws Exception {
        String reply = mailFrom(InetAddress.getByName("::1"), false);

        assertThat(reply).startsWith("530 5.7.10").contains("(connector v6)");
    }

    @Test
    void ipv6ClientInTheRangeShouldBeAcceptedOverStartTls() throws Exception {
        assertThat(mailFrom(InetAddress.getByName("::1"), true)).startsWith("250");
    }

    @Test
    void ipv4ClientOutsideTheRangeShouldBeUnaffected() throws Exception {
        assertThat(mailFrom(InetAddress.getByName("127.0.0.1"), false)).startsWith("250");
    }

    /**
     * Greeting, EHLO, optionally STARTTLS and EHLO again, then MAIL FROM; returns the reply to MAIL
     * FROM.
     */
    private static String mailFrom(InetAddress address, boolean startTls) throws Exception {
        int port = james.harness().smtpPort(Delivery.Mode.PLAIN);
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress(address, port), 10_000);
            plain.setSoTimeout(10_000);
            Socket socket = plain;
            BufferedReader in = reader(socket);
            assertThat(reply(in)).startsWith("220");
            command(socket, "EHLO client.test");
            assertThat(reply(in)).startsWith("250");
            if (startTls) {
                command(socket, "STARTTLS");
                assertThat(reply(in)).startsWith("220");
                SSLSocket ssl =
                        (SSLSocket)
                                trustAll()
                                        .getSocketFactory()
                                        .createSocket(plain, "localhost", port, false);
                ssl.startHandshake();
                socket = ssl;
                in = reader(socket);
                command(socket, "EHLO client.test");
                assertThat(reply(in)).startsWith("250");
            }
            command(socket, "MAIL FROM:<someone@anywhere.test>");
            String answer = reply(in);
            command(socket, "QUIT");
            return answer;
        }
    }

    private static BufferedReader reader(Socket socket) throws IOException {
        return new BufferedReader(
                new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
    }

    private static void command(Socket socket, String line) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write((line + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** The last line of a (possibly multi-line) reply. */
    private static String reply(BufferedReader in) throws IOException {
        String line = in.readLine();
        while (line != null && line.length() > 3 && line.charAt(3) == '-') {
            line = in.readLine();
        }
        return String.valueOf(line);
    }

    /**
     * The test only needs encryption to the harness's own James, whose certificate it does not
     * judge.
     */
    private static SSLContext trustAll() throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(
                null,
                new TrustManager[] {
                    new X509TrustManager() {
                        @Override
                        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

                        @Override
                        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

                        @Override
                        public X509Certificate[] getAcceptedIssuers() {
                            return new X509Certificate[0];
                        }
                    }
                },
                null);
        return context;
    }
}

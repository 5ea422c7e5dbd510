package dev.mailsec.tls.published;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * One SMTP session to an MX host as a sender would open it: greeting, EHLO, STARTTLS, a TLS
 * handshake that accepts any chain (so what is shown can be judged afterwards) with SNI set to the
 * MX host, then QUIT. No mail is sent. Replies are read with a bounded line length and count.
 */
final class MxProbe {

    private static final int MAX_LINE = 2048;
    private static final int MAX_LINES = 100;

    /** What one session showed. */
    static final class Session {
        Optional<String> error = Optional.empty();
        boolean startTlsOffered;
        Optional<String> handshakeError = Optional.empty();
        Optional<String> protocol = Optional.empty();
        List<X509Certificate> chain = Collections.emptyList();
    }

    private final Duration timeout;
    private final String helo;

    MxProbe(Duration timeout, String helo) {
        this.timeout = timeout;
        this.helo = helo;
    }

    Session probe(String host, InetAddress address, int port) {
        Session seen = new Session();
        int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), millis);
            socket.setSoTimeout(millis);
            BufferedReader in =
                    new BufferedReader(
                            new InputStreamReader(
                                    socket.getInputStream(), StandardCharsets.ISO_8859_1));
            OutputStream out = socket.getOutputStream();
            List<String> greeting = reply(in);
            if (!greeting.get(0).startsWith("220")) {
                seen.error = Optional.of("greeting was '" + printable(greeting.get(0)) + "'");
                return seen;
            }
            send(out, "EHLO " + helo);
            List<String> ehlo = reply(in);
            if (!ehlo.get(0).startsWith("250")) {
                seen.error = Optional.of("EHLO answered '" + printable(ehlo.get(0)) + "'");
                return seen;
            }
            for (String line : ehlo) {
                seen.startTlsOffered |=
                        line.length() > 4 && line.substring(4).trim().equalsIgnoreCase("STARTTLS");
            }
            if (!seen.startTlsOffered) {
                send(out, "QUIT");
                return seen;
            }
            send(out, "STARTTLS");
            List<String> ready = reply(in);
            if (!ready.get(0).startsWith("220")) {
                seen.handshakeError =
                        Optional.of("STARTTLS answered '" + printable(ready.get(0)) + "'");
                return seen;
            }
            handshake(socket, host, port, seen);
        } catch (IOException e) {
            seen.error =
                    Optional.of(
                            e.getClass().getSimpleName()
                                    + ": "
                                    + printable(String.valueOf(e.getMessage())));
        }
        return seen;
    }

    private static void handshake(Socket socket, String host, int port, Session seen) {
        List<X509Certificate> shown = new ArrayList<>();
        X509TrustManager recorder =
                new X509TrustManager() {
                    @Override
                    public void checkClientTrusted(X509Certificate[] chain, String authType) {
                        // a client's certificate is not asked for
                    }

                    @Override
                    public void checkServerTrusted(X509Certificate[] chain, String authType) {
                        // judged afterwards, by the check, against the trust store
                        shown.addAll(Arrays.asList(chain));
                    }

                    @Override
                    public X509Certificate[] getAcceptedIssuers() {
                        return new X509Certificate[0];
                    }
                };
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {recorder}, null);
            SSLSocket ssl =
                    (SSLSocket) context.getSocketFactory().createSocket(socket, host, port, true);
            SSLParameters parameters = ssl.getSSLParameters();
            parameters.setServerNames(List.of(new SNIHostName(host)));
            ssl.setSSLParameters(parameters);
            ssl.startHandshake();
            seen.protocol = Optional.of(ssl.getSession().getProtocol());
            try {
                send(ssl.getOutputStream(), "QUIT");
            } catch (IOException quitFailed) {
                // what was to be seen is seen
            }
        } catch (IOException e) {
            seen.handshakeError = Optional.of(printable(String.valueOf(e.getMessage())));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JVM cannot create a TLS context", e);
        }
        seen.chain = Collections.unmodifiableList(shown);
    }

    private static List<String> reply(BufferedReader in) throws IOException {
        List<String> lines = new ArrayList<>();
        while (lines.size() < MAX_LINES) {
            String line = line(in);
            lines.add(line);
            if (line.length() < 4 || line.charAt(3) != '-') {
                return lines;
            }
        }
        throw new IOException("reply longer than " + MAX_LINES + " lines");
    }

    private static String line(BufferedReader in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            if (line.length() >= MAX_LINE) {
                throw new IOException("reply line longer than " + MAX_LINE + " characters");
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        if (c < 0 && line.length() == 0) {
            throw new IOException("connection closed");
        }
        return line.toString();
    }

    private static void send(OutputStream out, String command) throws IOException {
        out.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    static String printable(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length() && i < 200; i++) {
            char c = text.charAt(i);
            out.append(c >= 32 && c < 127 ? c : '?');
        }
        return out.toString();
    }
}

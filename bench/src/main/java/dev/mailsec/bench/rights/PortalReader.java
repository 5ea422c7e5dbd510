package dev.mailsec.bench.rights;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One reader of {@link PortalLoad}: HTTP/1.1 GETs over one keep-alive connection from its own
 * loopback address (the JDK 17 HttpClient cannot choose its local address). Bodies are read whole.
 */
final class PortalReader {
    private final URI target;
    private final String request;
    private final InetAddress from;
    private Socket socket;
    private InputStream in;

    PortalReader(URI target, String cookie, InetAddress from) {
        this.target = target;
        this.from = from;
        this.request =
                "GET "
                        + target.getRawPath()
                        + " HTTP/1.1\r\nHost: "
                        + target.getHost()
                        + ":"
                        + target.getPort()
                        + "\r\nUser-Agent: PortalLoad\r\n"
                        + (cookie == null ? "" : "Cookie: " + cookie + "\r\n")
                        + "\r\n";
    }

    /** Sends one GET; the nanoTime of the response's first byte, or -1 when not a 200. */
    long get() throws IOException {
        if (socket == null) {
            socket = new Socket();
            socket.bind(new InetSocketAddress(from, 0));
            socket.connect(new InetSocketAddress(target.getHost(), target.getPort()));
            socket.setTcpNoDelay(true);
            in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
        }
        OutputStream out = socket.getOutputStream();
        out.write(request.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        int b = in.read();
        long first = System.nanoTime();
        if (b < 0) {
            close();
            return -1;
        }
        StringBuilder head = new StringBuilder().append((char) b);
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                close();
                return -1;
            }
            head.append((char) c);
        }
        String h = head.toString();
        boolean ok = h.startsWith("HTTP/1.1 200");
        Matcher len = Pattern.compile("(?im)^content-length:\\s*([0-9]+)").matcher(h);
        if (len.find()) {
            in.readNBytes(Integer.parseInt(len.group(1)));
        } else if (h.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked")) {
            readChunked();
        } else {
            close(); // read to end of connection
            return ok ? first : -1;
        }
        if (h.toLowerCase(Locale.ROOT).contains("connection: close")) {
            close();
        }
        return ok ? first : -1;
    }

    private void readChunked() throws IOException {
        while (true) {
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = in.read()) >= 0 && c != '\n') {
                line.append((char) c);
            }
            int size = Integer.parseInt(line.toString().trim().split(";")[0], 16);
            in.readNBytes(size + 2); // data and CRLF
            if (size == 0) {
                return;
            }
        }
    }

    void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
            socket = null;
        }
    }
}

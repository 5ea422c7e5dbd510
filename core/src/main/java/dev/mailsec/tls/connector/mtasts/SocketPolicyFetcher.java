package dev.mailsec.tls.connector.mtasts;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * Fetches {@code https://mta-sts.DOMAIN/.well-known/mta-sts.txt} (RFC 8461 section 3.3) over a
 * plain {@link SSLSocket}, with the policy host's addresses from a caller-supplied lookup: inside
 * James that is James's own DNS service, so the TXT record, the policy host and the MX hosts all
 * come from the resolver James is configured with. The certificate must chain to the trust context
 * and be issued for {@code mta-sts.DOMAIN} (endpoint identification {@code HTTPS}); HTTP/1.1 with
 * {@code Connection: close}; redirects are not followed (RFC 8461 section 3.3); the body is read up
 * to {@link MtaStsPolicy#MAX_BYTES}.
 */
public final class SocketPolicyFetcher implements MtaStsResolver.PolicyFetcher {

    /** The addresses of a host name. */
    public interface AddressLookup {
        List<InetAddress> addresses(String host) throws IOException;
    }

    private static final int MAX_HEADER_BYTES = 16 * 1024;

    private final AddressLookup addresses;
    private final SSLContext tls;
    private final int port;
    private final Duration timeout;

    /**
     * @param port 443 except in tests
     */
    public SocketPolicyFetcher(
            AddressLookup addresses, SSLContext tls, int port, Duration timeout) {
        this.addresses = addresses;
        this.tls = tls;
        this.port = port;
        this.timeout = timeout;
    }

    @Override
    public MtaStsPolicy fetch(String domain) throws IOException {
        return MtaStsPolicy.parse(fetchText(domain));
    }

    /**
     * The policy text of {@code domain} as served (status 200, {@code text/plain}, size checked),
     * not yet parsed: {@code mailsec tls check --inbound} derives the policy's id from it.
     */
    public String fetchText(String domain) throws IOException {
        String host = "mta-sts." + domain.toLowerCase(Locale.ROOT);
        List<InetAddress> candidates = addresses.addresses(host);
        if (candidates.isEmpty()) {
            throw new IOException(host + " has no address");
        }
        IOException last = null;
        for (InetAddress address : candidates) {
            try {
                return fetchFrom(host, address);
            } catch (IOException e) {
                last = e;
            }
        }
        throw last;
    }

    private String fetchFrom(String host, InetAddress address) throws IOException {
        int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress(address, port), millis);
            plain.setSoTimeout(millis);
            try (SSLSocket socket =
                    (SSLSocket) tls.getSocketFactory().createSocket(plain, host, port, true)) {
                SSLParameters parameters = socket.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                parameters.setServerNames(Collections.singletonList(new SNIHostName(host)));
                socket.setSSLParameters(parameters);
                socket.startHandshake();
                OutputStream out = socket.getOutputStream();
                out.write(
                        ("GET /.well-known/mta-sts.txt HTTP/1.1\r\nHost: "
                                        + host
                                        + "\r\nAccept: text/plain\r\n"
                                        + "User-Agent: mailsec-mta-sts\r\nConnection: close\r\n\r\n")
                                .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                return readText(socket.getInputStream());
            }
        }
    }

    /**
     * Reads an HTTP/1.1 response: status line, headers, then a body by Content-Length, chunks, or
     * until close.
     */
    static MtaStsPolicy read(InputStream in) throws IOException {
        return MtaStsPolicy.parse(readText(in));
    }

    /** As {@link #read(InputStream)}, the checked body's text. */
    static String readText(InputStream in) throws IOException {
        String statusLine = line(in);
        String[] status = statusLine.split(" ", 3);
        if (status.length < 2
                || !status[0].startsWith("HTTP/1.")
                || !status[1].matches("[0-9]{3}")) {
            throw new IOException(
                    "not an HTTP response: '" + MtaStsPolicy.printable(statusLine) + "'");
        }
        String contentType = "";
        long contentLength = -1;
        boolean chunked = false;
        int headerBytes = 0;
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
            headerBytes += header.length();
            if (headerBytes > MAX_HEADER_BYTES) {
                throw new IOException(
                        "response headers larger than " + MAX_HEADER_BYTES + " bytes");
            }
            int colon = header.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = header.substring(colon + 1).trim();
            if (name.equals("content-type")) {
                contentType = value;
            } else if (name.equals("content-length") && value.matches("[0-9]{1,10}")) {
                contentLength = Long.parseLong(value);
            } else if (name.equals("transfer-encoding")
                    && value.toLowerCase(Locale.ROOT).contains("chunked")) {
                chunked = true;
            }
        }
        InputStream body;
        if (chunked) {
            body = new ByteArrayInputStream(dechunk(in));
        } else if (contentLength >= 0) {
            body =
                    new ByteArrayInputStream(
                            in.readNBytes(
                                    (int) Math.min(contentLength, MtaStsPolicy.MAX_BYTES + 1L)));
        } else {
            body = in;
        }
        return MtaStsResolver.checkedText(Integer.parseInt(status[1]), contentType, body);
    }

    private static byte[] dechunk(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = line(in);
            int semicolon = sizeLine.indexOf(';');
            String hex = (semicolon >= 0 ? sizeLine.substring(0, semicolon) : sizeLine).trim();
            if (!hex.matches("[0-9A-Fa-f]{1,8}")) {
                throw new IOException("bad chunk size '" + MtaStsPolicy.printable(sizeLine) + "'");
            }
            long size = Long.parseLong(hex, 16);
            if (size == 0) {
                return out.toByteArray();
            }
            if (out.size() + size > MtaStsPolicy.MAX_BYTES) {
                throw new IOException("policy larger than " + MtaStsPolicy.MAX_BYTES + " bytes");
            }
            byte[] chunk = in.readNBytes((int) size);
            if (chunk.length < size) {
                throw new IOException("response ended inside a chunk");
            }
            out.write(chunk);
            line(in);
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                int end = line.length();
                return end > 0 && line.charAt(end - 1) == '\r'
                        ? line.substring(0, end - 1)
                        : line.toString();
            }
            if (line.length() >= MAX_HEADER_BYTES) {
                throw new IOException("response line longer than " + MAX_HEADER_BYTES + " bytes");
            }
            line.append((char) c);
        }
        if (line.length() == 0) {
            throw new IOException("connection closed before the response ended");
        }
        return line.toString();
    }
}

package dev.mailsec.it.connector;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A partner's SMTP server on loopback, small enough to read: greets, offers STARTTLS when it has a
 * TLS context (optionally only some protocol versions), accepts every message and remembers how
 * each arrived.
 */
final class PartnerSmtpServer implements AutoCloseable {

    /** One message as the partner received it. */
    static final class Received {
        final String protocol;
        final List<String> recipients;
        final String data;

        /** The subject of the client certificate the sender presented, or empty. */
        final Optional<String> clientSubject;

        Received(
                String protocol,
                List<String> recipients,
                String data,
                Optional<String> clientSubject) {
            this.protocol = protocol;
            this.recipients = recipients;
            this.data = data;
            this.clientSubject = clientSubject;
        }
    }

    private final ServerSocket listener;
    private final Optional<SSLContext> tls;
    private final String[] protocols;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger refusedHandshakes = new AtomicInteger();
    private final AtomicInteger tlsSessions = new AtomicInteger();
    private boolean needClientAuth;

    private PartnerSmtpServer(Optional<SSLContext> tls, String[] protocols) throws IOException {
        this(tls, protocols, InetAddress.getLoopbackAddress(), 0);
    }

    private PartnerSmtpServer(
            Optional<SSLContext> tls, String[] protocols, InetAddress address, int port)
            throws IOException {
        this.tls = tls;
        this.protocols = protocols.clone();
        this.listener = new ServerSocket();
        listener.setReuseAddress(true);
        bind(listener, new InetSocketAddress(address, port));
        threads.execute(this::acceptLoop);
    }

    /**
     * Binds, waiting up to 5 s for a fixed port another server of the test just closed: a listening
     * socket closed while its thread is blocked in accept is released only once that thread has
     * left accept.
     */
    static void bind(ServerSocket listener, InetSocketAddress address) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (true) {
            try {
                listener.bind(address, 50);
                return;
            } catch (BindException inUse) {
                if (address.getPort() == 0 || System.nanoTime() > deadline) {
                    throw inUse;
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw inUse;
                }
            }
        }
    }

    /**
     * A server offering STARTTLS on {@code address:port}, e.g. 127.0.0.1:25, where MX delivery
     * connects.
     */
    static PartnerSmtpServer withStartTlsOn(SSLContext tls, InetAddress address, int port)
            throws IOException {
        return new PartnerSmtpServer(Optional.of(tls), new String[0], address, port);
    }

    /**
     * As {@link #withStartTlsOn(SSLContext, InetAddress, int)}, offering only {@code protocols}.
     */
    static PartnerSmtpServer withStartTlsOn(
            SSLContext tls, InetAddress address, int port, String... protocols) throws IOException {
        return new PartnerSmtpServer(Optional.of(tls), protocols, address, port);
    }

    /** A server that never offers STARTTLS, on {@code address:port}. */
    static PartnerSmtpServer withoutStartTlsOn(InetAddress address, int port) throws IOException {
        return new PartnerSmtpServer(Optional.empty(), new String[0], address, port);
    }

    /**
     * A server offering STARTTLS with {@code tls}, restricted to {@code protocols} when any are
     * given.
     */
    static PartnerSmtpServer withStartTls(SSLContext tls, String... protocols) throws IOException {
        return new PartnerSmtpServer(Optional.of(tls), protocols);
    }

    /**
     * A server offering STARTTLS with {@code tls} that requires a client certificate its trust
     * managers accept (needClientAuth): a sender without one fails the handshake.
     */
    static PartnerSmtpServer withStartTlsRequiringClientCertificate(SSLContext tls)
            throws IOException {
        PartnerSmtpServer server = new PartnerSmtpServer(Optional.of(tls), new String[0]);
        server.needClientAuth = true;
        return server;
    }

    /** STARTTLS handshakes that completed. */
    int tlsSessions() {
        return tlsSessions.get();
    }

    /**
     * STARTTLS handshakes that failed (e.g. no client certificate where one is required, or the
     * client closed the connection after STARTTLS without a handshake).
     */
    int refusedHandshakes() {
        return refusedHandshakes.get();
    }

    /** A server that never offers STARTTLS. */
    static PartnerSmtpServer withoutStartTls() throws IOException {
        return new PartnerSmtpServer(Optional.empty(), new String[0]);
    }

    int port() {
        return listener.getLocalPort();
    }

    int connections() {
        return connections.get();
    }

    /** All messages received, for any recipient. */
    int receivedCount() {
        return received.size();
    }

    /** Messages whose DATA arrived without TLS. */
    int receivedInClear() {
        int clear = 0;
        for (Received message : received) {
            if (message.protocol.equals("clear")) {
                clear++;
            }
        }
        return clear;
    }

    /** Messages received for {@code recipient}. */
    List<Received> receivedFor(String recipient) {
        List<Received> matching = new ArrayList<>();
        for (Received message : received) {
            if (message.recipients.contains(recipient)) {
                matching.add(message);
            }
        }
        return matching;
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket socket = listener.accept();
                connections.incrementAndGet();
                threads.execute(() -> serve(socket));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket plain) {
        Socket socket = plain;
        String protocol = "clear";
        Optional<String> clientSubject = Optional.empty();
        try {
            socket.setSoTimeout(15000);
            BufferedReader in = reader(socket);
            OutputStream out = socket.getOutputStream();
            reply(out, "220 partner.test ESMTP test partner");
            List<String> recipients = new ArrayList<>();
            String line;
            while ((line = in.readLine()) != null) {
                String command =
                        line.length() >= 4
                                ? line.substring(0, 4).toUpperCase()
                                : line.toUpperCase();
                if (command.equals("EHLO") || command.equals("HELO")) {
                    reply(
                            out,
                            tls.isPresent()
                                    ? "250-partner.test\r\n250-8BITMIME\r\n250 STARTTLS"
                                    : "250-partner.test\r\n250 8BITMIME");
                } else if (line.equalsIgnoreCase("STARTTLS") && tls.isPresent()) {
                    reply(out, "220 2.0.0 ready to start TLS");
                    SSLSocket ssl =
                            (SSLSocket)
                                    tls.get()
                                            .getSocketFactory()
                                            .createSocket(
                                                    socket,
                                                    socket.getInetAddress().getHostAddress(),
                                                    socket.getPort(),
                                                    true);
                    ssl.setUseClientMode(false);
                    if (protocols.length > 0) {
                        ssl.setEnabledProtocols(protocols);
                    }
                    ssl.setNeedClientAuth(needClientAuth);
                    try {
                        ssl.startHandshake();
                    } catch (IOException refused) {
                        refusedHandshakes.incrementAndGet();
                        throw refused;
                    }
                    tlsSessions.incrementAndGet();
                    protocol = ssl.getSession().getProtocol();
                    if (needClientAuth) {
                        clientSubject =
                                Optional.of(
                                        ((X509Certificate)
                                                        ssl.getSession().getPeerCertificates()[0])
                                                .getSubjectX500Principal()
                                                .getName());
                    }
                    socket = ssl;
                    in = reader(socket);
                    out = socket.getOutputStream();
                    recipients.clear();
                } else if (command.equals("MAIL")) {
                    recipients.clear();
                    reply(out, "250 2.1.0 ok");
                } else if (command.equals("RCPT")) {
                    int open = line.indexOf('<');
                    int close = line.indexOf('>');
                    recipients.add(
                            open >= 0 && close > open ? line.substring(open + 1, close) : line);
                    reply(out, "250 2.1.5 ok");
                } else if (command.equals("DATA")) {
                    reply(out, "354 end with .");
                    StringBuilder data = new StringBuilder();
                    String dataLine;
                    while ((dataLine = in.readLine()) != null && !dataLine.equals(".")) {
                        data.append(dataLine).append("\r\n");
                    }
                    received.add(
                            new Received(
                                    protocol,
                                    new ArrayList<>(recipients),
                                    data.toString(),
                                    clientSubject));
                    reply(out, "250 2.0.0 queued");
                } else if (command.equals("QUIT")) {
                    reply(out, "221 2.0.0 bye");
                    return;
                } else if (command.equals("RSET") || command.equals("NOOP")) {
                    reply(out, "250 2.0.0 ok");
                } else {
                    reply(out, "502 5.5.2 not implemented");
                }
            }
        } catch (IOException handshakeOrConnectionFailure) {
            // the client gave up (e.g. rejected our certificate): nothing was received
        } finally {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing a broken socket
            }
        }
    }

    private static BufferedReader reader(Socket socket) throws IOException {
        return new BufferedReader(
                new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
    }

    private static void reply(OutputStream out, String reply) throws IOException {
        out.write((reply + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        listener.close();
        threads.shutdownNow();
    }
}

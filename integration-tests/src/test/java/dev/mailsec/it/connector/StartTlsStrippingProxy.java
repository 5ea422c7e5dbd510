package dev.mailsec.it.connector;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An attacker on the path between us and a good partner: relays SMTP both ways but deletes STARTTLS
 * from the server's EHLO reply, so a client that does not insist on TLS carries on in clear.
 */
final class StartTlsStrippingProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final int upstreamPort;
    private final ExecutorService threads = Executors.newCachedThreadPool();

    StartTlsStrippingProxy(int upstreamPort) throws IOException {
        this.upstreamPort = upstreamPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        threads.execute(this::acceptLoop);
    }

    int port() {
        return listener.getLocalPort();
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
                threads.execute(() -> copy(client, upstream));
                threads.execute(() -> stripStartTls(upstream, client));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private static void copy(Socket from, Socket to) {
        try (InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream()) {
            byte[] buffer = new byte[8192];
            int read;
            while ((read = in.read(buffer)) >= 0) {
                out.write(buffer, 0, read);
                out.flush();
            }
        } catch (IOException connectionClosed) {
            // either side hung up
        } finally {
            closeBoth(from, to);
        }
    }

    /**
     * Relays replies, buffering each multi-line reply so a removed last line can be re-terminated.
     */
    private static void stripStartTls(Socket server, Socket client) {
        try (BufferedReader in =
                        new BufferedReader(
                                new InputStreamReader(
                                        server.getInputStream(), StandardCharsets.ISO_8859_1));
                OutputStream out = client.getOutputStream()) {
            List<String> reply = new ArrayList<>();
            String line;
            while ((line = in.readLine()) != null) {
                reply.add(line);
                boolean last = line.length() < 4 || line.charAt(3) != '-';
                if (!last) {
                    continue;
                }
                List<String> kept = new ArrayList<>();
                for (String candidate : reply) {
                    if (!candidate
                            .toUpperCase(Locale.ROOT)
                            .substring(Math.min(4, candidate.length()))
                            .trim()
                            .equals("STARTTLS")) {
                        kept.add(candidate);
                    }
                }
                StringBuilder rewritten = new StringBuilder();
                for (int i = 0; i < kept.size(); i++) {
                    String keptLine = kept.get(i);
                    char separator = i == kept.size() - 1 ? ' ' : '-';
                    rewritten
                            .append(
                                    keptLine.length() >= 4
                                            ? keptLine.substring(0, 3)
                                                    + separator
                                                    + keptLine.substring(4)
                                            : keptLine)
                            .append("\r\n");
                }
                out.write(rewritten.toString().getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                reply.clear();
            }
        } catch (IOException connectionClosed) {
            // either side hung up
        } finally {
            closeBoth(server, client);
        }
    }

    private static void closeBoth(Socket a, Socket b) {
        try {
            a.close();
        } catch (IOException ignored) {
            // already closed
        }
        try {
            b.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        threads.shutdownNow();
    }
}

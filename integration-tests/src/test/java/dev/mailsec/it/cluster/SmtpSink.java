package dev.mailsec.it.cluster;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The remote MX (the smarthost both nodes relay through) on loopback: plain SMTP, accepts every
 * message and keeps it exactly as received (dot-unstuffed), so the test can verify its DKIM
 * signatures.
 */
final class SmtpSink implements AutoCloseable {

    private final ServerSocket listener;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<String> received = new CopyOnWriteArrayList<>();

    SmtpSink() throws IOException {
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        threads.execute(this::acceptLoop);
    }

    int port() {
        return listener.getLocalPort();
    }

    /** Every message received so far, in order (raw, CRLF line ends). */
    List<String> messages() {
        return new ArrayList<>(received);
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket s = listener.accept();
                threads.execute(() -> serve(s));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            BufferedReader in =
                    new BufferedReader(new InputStreamReader(s.getInputStream(), ISO_8859_1));
            OutputStream out = s.getOutputStream();
            reply(out, "220 sink.remote.test ESMTP");
            String line;
            while ((line = in.readLine()) != null) {
                String verb = line.length() >= 4 ? line.substring(0, 4).toUpperCase() : line;
                switch (verb) {
                    case "EHLO":
                        reply(out, "250-sink.remote.test\r\n250 8BITMIME");
                        break;
                    case "DATA":
                        reply(out, "354 go ahead");
                        StringBuilder data = new StringBuilder();
                        while ((line = in.readLine()) != null && !line.equals(".")) {
                            data.append(line.startsWith(".") ? line.substring(1) : line)
                                    .append("\r\n");
                        }
                        received.add(data.toString());
                        reply(out, "250 2.0.0 queued");
                        break;
                    case "QUIT":
                        reply(out, "221 bye");
                        return;
                    default:
                        reply(out, "250 ok");
                }
            }
        } catch (IOException e) {
            // the client went away: nothing was acknowledged, so it will retry
        }
    }

    private static void reply(OutputStream out, String text) throws IOException {
        out.write((text + "\r\n").getBytes(ISO_8859_1));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        listener.close();
        threads.shutdownNow();
    }
}

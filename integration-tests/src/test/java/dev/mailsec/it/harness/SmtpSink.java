package dev.mailsec.it.harness;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

/**
 * The remote domains' mail server (or the smarthost James relays through) on loopback: a plain SMTP
 * server (no STARTTLS) that accepts every message and keeps its envelope recipients and bytes
 * exactly as received (dot-unstuffed, CRLF line ends), so a test can count what left James and read
 * how it left (DKIM-Signature, protected body).
 */
public final class SmtpSink implements AutoCloseable {

    /** One message as received: envelope recipients and the data section, dot-unstuffed. */
    public static final class Received {
        public final List<String> recipients;
        public final String data;

        /** When the data section ended (wall clock, ms), before the 250 reply. */
        public final long receivedAtMillis;

        Received(List<String> recipients, String data) {
            this.recipients = recipients;
            this.data = data;
            this.receivedAtMillis = System.currentTimeMillis();
        }
    }

    private final ServerSocket listener;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<Received> received = new CopyOnWriteArrayList<>();

    /** Listens on a free loopback port. */
    public SmtpSink() throws IOException {
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        threads.execute(this::acceptLoop);
    }

    /** The port it listens on. */
    public int port() {
        return listener.getLocalPort();
    }

    /** Every message received so far. */
    public List<Received> received() {
        return List.copyOf(received);
    }

    /** The data of every message received so far, in order (raw, CRLF line ends). */
    public List<String> messages() {
        return received.stream().map(r -> r.data).collect(Collectors.toList());
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

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            reply(out, "220 sink.remote.test ESMTP");
            List<String> rcpts = new ArrayList<>();
            while (true) {
                String line = readLine(in);
                if (line == null) {
                    return;
                }
                String verb = line.length() >= 4 ? line.substring(0, 4).toUpperCase() : line;
                switch (verb) {
                    case "EHLO":
                        reply(out, "250-sink.remote.test\r\n250-8BITMIME\r\n250 SIZE 0");
                        break;
                    case "HELO":
                        reply(out, "250 sink.remote.test");
                        break;
                    case "MAIL":
                        rcpts = new ArrayList<>();
                        reply(out, "250 ok");
                        break;
                    case "RCPT":
                        int lt = line.indexOf('<');
                        int gt = line.indexOf('>', lt + 1);
                        rcpts.add(line.substring(lt + 1, gt).toLowerCase());
                        reply(out, "250 ok");
                        break;
                    case "DATA":
                        reply(out, "354 go on");
                        received.add(new Received(List.copyOf(rcpts), readData(in)));
                        reply(out, "250 kept");
                        break;
                    case "QUIT":
                        reply(out, "221 bye");
                        return;
                    default:
                        reply(out, "250 ok");
                }
            }
        } catch (IOException | RuntimeException gone) {
            // the client went away; what was received is kept
        }
    }

    private static String readData(InputStream in) throws IOException {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        while (true) {
            String line = readLine(in);
            if (line == null || line.equals(".")) {
                return data.toString(StandardCharsets.ISO_8859_1);
            }
            if (line.startsWith(".")) {
                line = line.substring(1);
            }
            data.writeBytes(line.getBytes(StandardCharsets.ISO_8859_1));
            data.writeBytes(new byte[] {'\r', '\n'});
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                byte[] b = line.toByteArray();
                int len = b.length > 0 && b[b.length - 1] == '\r' ? b.length - 1 : b.length;
                return new String(b, 0, len, StandardCharsets.ISO_8859_1);
            }
            line.write(c);
        }
        return null;
    }

    private static void reply(OutputStream out, String text) throws IOException {
        out.write((text + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        listener.close();
        threads.shutdownNow();
    }
}

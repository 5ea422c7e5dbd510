package dev.mailsec.it.load;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A DNS server on a free loopback UDP port answering TXT queries from a table (DKIM key records),
 * NXDOMAIN for other names; switched at run time to answer SERVFAIL to everything, or to answer
 * nothing (the client times out). Small enough to read: one question per query, no TCP, no
 * compression in questions.
 */
public final class LoopbackDns implements AutoCloseable {

    /** How it answers. */
    public enum Mode {
        ANSWER,
        SERVFAIL,
        SILENT
    }

    private final DatagramSocket socket;
    private final Map<String, String> txt = new ConcurrentHashMap<>();
    private final Thread thread;
    private final AtomicLong queries = new AtomicLong();
    private volatile Mode mode = Mode.ANSWER;

    /** Listens on a free loopback port. */
    public LoopbackDns() throws IOException {
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        thread = new Thread(this::serve, "loopback-dns");
        thread.setDaemon(true);
        thread.start();
    }

    /** The UDP port. */
    public int port() {
        return socket.getLocalPort();
    }

    /** Publishes a TXT record (one string up to 255 bytes per chunk, split here). */
    public void txt(String name, String value) {
        txt.put(name.toLowerCase(Locale.ROOT), value);
    }

    /** Switches how every following query is answered. */
    public void mode(Mode mode) {
        this.mode = mode;
    }

    /** Queries received so far. */
    public long queries() {
        return queries.get();
    }

    private void serve() {
        byte[] buffer = new byte[1500];
        while (!socket.isClosed()) {
            try {
                DatagramPacket in = new DatagramPacket(buffer, buffer.length);
                socket.receive(in);
                queries.incrementAndGet();
                Mode now = mode;
                if (now == Mode.SILENT) {
                    continue;
                }
                byte[] answer = answer(in.getData(), in.getLength(), now);
                if (answer != null) {
                    socket.send(new DatagramPacket(answer, answer.length, in.getSocketAddress()));
                }
            } catch (IOException | RuntimeException e) {
                if (socket.isClosed()) {
                    return;
                }
            }
        }
    }

    private byte[] answer(byte[] q, int length, Mode now) {
        if (length < 12) {
            return null;
        }
        // question: name labels from offset 12, then type and class
        StringBuilder name = new StringBuilder();
        int i = 12;
        while (i < length && q[i] != 0) {
            int len = q[i] & 0xff;
            if (name.length() > 0) {
                name.append('.');
            }
            name.append(new String(q, i + 1, len, StandardCharsets.US_ASCII));
            i += len + 1;
        }
        int questionEnd = i + 5; // zero byte, type (2), class (2)
        if (questionEnd > length) {
            return null;
        }
        int type = ((q[i + 1] & 0xff) << 8) | (q[i + 2] & 0xff);
        String value = txt.get(name.toString().toLowerCase(Locale.ROOT));
        int rcode = now == Mode.SERVFAIL ? 2 : value == null ? 3 : 0;
        boolean answers = rcode == 0 && type == 16;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(q[0]);
        out.write(q[1]);
        out.write(0x84 | (q[2] & 0x01)); // QR, AA, RD copied
        out.write(0x80 | rcode); // RA, rcode
        out.write(0);
        out.write(1); // one question
        out.write(0);
        out.write(answers ? 1 : 0);
        out.write(new byte[4], 0, 4); // no authority, no additional
        out.write(q, 12, questionEnd - 12);
        if (answers) {
            byte[] text = value.getBytes(StandardCharsets.US_ASCII);
            ByteArrayOutputStream rdata = new ByteArrayOutputStream();
            for (int off = 0; off < text.length; off += 255) {
                int n = Math.min(255, text.length - off);
                rdata.write(n);
                rdata.write(text, off, n);
            }
            out.write(0xc0); // pointer to the question's name
            out.write(12);
            out.write(new byte[] {0, 16, 0, 1, 0, 0, 0, 1}, 0, 8); // TXT, IN, TTL 1 s
            out.write(rdata.size() >> 8);
            out.write(rdata.size() & 0xff);
            byte[] r = rdata.toByteArray();
            out.write(r, 0, r.length);
        }
        return out.toByteArray();
    }

    @Override
    public void close() {
        socket.close();
    }
}

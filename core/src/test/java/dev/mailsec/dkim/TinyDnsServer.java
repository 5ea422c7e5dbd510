package dev.mailsec.dkim;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketException;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.xbill.DNS.Message;

/**
 * A UDP DNS responder on loopback that answers every query with what a function builds (real
 * sockets).
 */
final class TinyDnsServer implements AutoCloseable {

    private final DatagramSocket socket;
    private final Thread thread;
    private final AtomicInteger queries = new AtomicInteger();

    TinyDnsServer(Function<Message, Message> answer) throws IOException {
        socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        thread =
                new Thread(
                        () -> {
                            byte[] buf = new byte[4096];
                            while (!socket.isClosed()) {
                                try {
                                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                                    socket.receive(p);
                                    queries.incrementAndGet();
                                    Message query =
                                            new Message(Arrays.copyOf(p.getData(), p.getLength()));
                                    byte[] out = answer.apply(query).toWire();
                                    socket.send(
                                            new DatagramPacket(
                                                    out, out.length, p.getSocketAddress()));
                                } catch (SocketException closed) {
                                    return;
                                } catch (IOException e) {
                                    throw new IllegalStateException(e);
                                }
                            }
                        },
                        "tiny-dns");
        thread.setDaemon(true);
        thread.start();
    }

    int port() {
        return socket.getLocalPort();
    }

    int queries() {
        return queries.get();
    }

    @Override
    public void close() throws InterruptedException {
        socket.close();
        thread.join(2000);
    }
}

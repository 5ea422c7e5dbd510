package dev.mailsec.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real DNS server on loopback for tests: dnsmasq (Debian package dnsmasq-base) on a free UDP
 * port, ignoring the machine's own configuration, serving only what the test's arguments say.
 */
public final class Dnsmasq implements AutoCloseable {

    private final Process process;
    private final int port;
    private final StringBuffer log = new StringBuffer();

    private Dnsmasq(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Starts dnsmasq with the test's records and options (e.g. {@code --txt-record=...}) and waits
     * until it serves.
     */
    public static Dnsmasq start(Path dir, String... options)
            throws IOException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                return start(dir, "127.0.0.1", freeTcpAndUdpPort(), options);
            } catch (AssertionError e) {
                // dnsmasq listens on UDP and TCP: a port free when probed can be taken by another
                // socket before it
                // binds (a CI run once failed with "Address already in use")
                if (attempt == 5
                        || !String.valueOf(e.getMessage()).contains("Address already in use")) {
                    throw e;
                }
            }
        }
    }

    /**
     * A loopback port free for both TCP and UDP right now (an ephemeral UDP port may be a TCP
     * client's port).
     */
    static int freeTcpAndUdpPort() throws IOException {
        for (int attempt = 1; ; attempt++) {
            try (ServerSocket tcp = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                    DatagramSocket udp =
                            new DatagramSocket(
                                    tcp.getLocalPort(), InetAddress.getLoopbackAddress())) {
                return tcp.getLocalPort();
            } catch (SocketException taken) {
                if (attempt == 20) {
                    throw taken;
                }
            }
        }
    }

    /**
     * As {@link #start(Path, String...)} on a given loopback address and port, e.g. {@code
     * 127.77.0.1:53} for James, whose DNS service only asks port 53 (binding it needs root, which
     * the test machines have).
     */
    public static Dnsmasq start(Path dir, String address, int port, String... options)
            throws IOException, InterruptedException {
        List<String> cmd =
                new ArrayList<>(
                        List.of(
                                "dnsmasq",
                                "--no-daemon",
                                "--port=" + port,
                                "--listen-address=" + address,
                                "--bind-interfaces",
                                "--no-resolv",
                                "--no-hosts",
                                "--conf-file=/dev/null",
                                "--pid-file=" + dir.resolve("dnsmasq.pid"),
                                "--log-facility=-"));
        cmd.addAll(Arrays.asList(options));
        Dnsmasq dns = new Dnsmasq(new ProcessBuilder(cmd).redirectErrorStream(true).start(), port);
        Thread reader = new Thread(dns::readLog, "dnsmasq-log");
        reader.setDaemon(true);
        reader.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!dns.log().contains("started")) {
            if (!dns.process.isAlive()) {
                reader.join(1000); // all it printed, so the failure below says why
            }
            assertThat(dns.process.isAlive()).as("dnsmasq: %s", dns.log).isTrue();
            assertThat(System.nanoTime())
                    .as("dnsmasq did not start: %s", dns.log)
                    .isLessThan(deadline);
            Thread.sleep(20);
        }
        return dns;
    }

    private void readLog() {
        try (InputStream in = process.getInputStream()) {
            byte[] buffer = new byte[4096];
            int read;
            while ((read = in.read(buffer)) >= 0) {
                log.append(new String(buffer, 0, read, StandardCharsets.UTF_8));
            }
        } catch (IOException ended) {
            // the process ended
        }
    }

    public int port() {
        return port;
    }

    /** What dnsmasq printed so far (queries too, with {@code --log-queries}). */
    public String log() {
        return log.toString();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor(5, TimeUnit.SECONDS);
    }
}

package dev.mailsec.tls.connector.mtasts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailsec.tls.connector.MxLookup;
import dev.mailsec.tls.connector.SmartHost;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.naming.NamingException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MX and TXT lookups through the JDK's DNS provider against a real DNS server on loopback: dnsmasq (Debian
 * package dnsmasq-base), serving only the records below.
 */
class JndiDnsTest {

    private static Process dnsmasq;
    private static int port;
    private static final StringBuffer LOG = new StringBuffer();

    @BeforeAll
    static void startDnsmasq(@TempDir Path dir) throws Exception {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        dnsmasq = new ProcessBuilder("dnsmasq", "--no-daemon", "--port=" + port, "--listen-address=127.0.0.1",
            "--bind-interfaces", "--no-resolv", "--no-hosts", "--conf-file=/dev/null",
            "--pid-file=" + dir.resolve("dnsmasq.pid"), "--log-facility=-", "--local=/partner.test/",
            "--local=/nomx.test/", "--address=/nomx.test/127.0.0.1",
            "--mx-host=partner.test,mx2.partner.test,20", "--mx-host=partner.test,mx1.partner.test,10",
            "--txt-record=_mta-sts.partner.test,v=STSv1; id=20261123;",
            "--txt-record=_mta-sts.split.partner.test,v=STSv1; ,id=7;")
            .redirectErrorStream(true).start();
        Thread reader = new Thread(() -> {
            try (InputStream in = dnsmasq.getInputStream()) {
                byte[] buffer = new byte[4096];
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    LOG.append(new String(buffer, 0, read, StandardCharsets.UTF_8));
                }
            } catch (IOException ended) {
                // the process ended
            }
        }, "dnsmasq-log");
        reader.setDaemon(true);
        reader.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!LOG.toString().contains("started")) {
            assertThat(dnsmasq.isAlive()).as("dnsmasq: %s", LOG).isTrue();
            assertThat(System.nanoTime()).as("dnsmasq did not start: %s", LOG).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    @AfterAll
    static void stopDnsmasq() throws Exception {
        if (dnsmasq != null) {
            dnsmasq.destroy();
            dnsmasq.waitFor(5, TimeUnit.SECONDS);
        }
    }

    private static Optional<String> server() {
        return Optional.of("127.0.0.1:" + port);
    }

    @Test
    void mxLookupShouldOrderHostsByPreference() throws Exception {
        List<SmartHost> hosts = new MxLookup(server()).hostsFor("partner.test");

        assertThat(hosts).extracting(Object::toString).containsExactly("mx1.partner.test:25", "mx2.partner.test:25");
    }

    @Test
    void mxLookupShouldFallBackToTheDomainWithoutMx() throws Exception {
        assertThat(new MxLookup(server()).hostsFor("nomx.test")).extracting(Object::toString)
            .containsExactly("nomx.test:25");
    }

    @Test
    void mxLookupShouldFailForAMissingDomain() {
        assertThatThrownBy(() -> new MxLookup(server()).hostsFor("missing.partner.test"))
            .isInstanceOf(NamingException.class);
    }

    @Test
    void txtLookupShouldReturnTheRecordWithItsStringsJoined() throws Exception {
        JndiTxtLookup lookup = new JndiTxtLookup(server());

        assertThat(lookup.txt("_mta-sts.partner.test")).containsExactly("v=STSv1; id=20261123;");
        assertThat(lookup.txt("_mta-sts.split.partner.test")).containsExactly("v=STSv1; id=7;");
        assertThat(lookup.txt("_mta-sts.missing.partner.test")).isEmpty();
        assertThat(MtaStsRecord.parse(lookup.txt("_mta-sts.split.partner.test").get(0)).map(MtaStsRecord::id))
            .contains("7");
    }
}

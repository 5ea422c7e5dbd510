package dev.mailsec.spf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsec.testsupport.Dnsmasq;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SPF's dnsjava path against dnsmasq on loopback: each type, NXDOMAIN, no data, the cache. */
class DnsjavaSpfDnsTest {

    private static Dnsmasq dnsmasq;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        dnsmasq =
                Dnsmasq.start(
                        dir,
                        "--local-ttl=300",
                        "--local=/example.test/",
                        "--txt-record=example.test,v=spf1 mx -all",
                        "--host-record=mail.example.test,192.0.2.1",
                        "--mx-host=example.test,mx2.example.test,20",
                        "--mx-host=example.test,mx1.example.test,10");
    }

    @AfterAll
    static void stop() throws Exception {
        if (dnsmasq != null) {
            dnsmasq.close();
        }
    }

    private static DnsjavaSpfDns dns(int cacheSize) {
        return new DnsjavaSpfDns(
                List.of(new InetSocketAddress("127.0.0.1", dnsmasq.port())),
                Duration.ofMillis(2000),
                cacheSize,
                Clock.systemUTC());
    }

    @Test
    void answersEachType() {
        DnsjavaSpfDns dns = dns(100);
        SpfDns.Answer txt = dns.query("example.test", SpfDns.Type.TXT);
        assertThat(txt.status()).isEqualTo(SpfDns.Status.FOUND);
        assertThat(txt.data()).containsExactly("v=spf1 mx -all");
        assertThat(dns.query("mail.example.test", SpfDns.Type.A).data())
                .containsExactly("192.0.2.1");
        assertThat(dns.query("example.test", SpfDns.Type.MX).data())
                .containsExactly("mx1.example.test", "mx2.example.test");
    }

    @Test
    void nxdomainAndNoDataAreCachedFailuresAreNot() {
        DnsjavaSpfDns dns = dns(100);
        assertThat(dns.query("nope.example.test", SpfDns.Type.TXT).status())
                .isEqualTo(SpfDns.Status.NXDOMAIN);
        assertThat(dns.query("mail.example.test", SpfDns.Type.TXT).status())
                .isEqualTo(SpfDns.Status.NO_DATA);
        assertThat(dns.cachedNames()).isEqualTo(2);
        assertThat(dns(0).query("bad..name", SpfDns.Type.TXT).status())
                .isEqualTo(SpfDns.Status.NXDOMAIN);
    }

    @Test
    void deadServerIsATemporaryFailure() {
        DnsjavaSpfDns dns =
                new DnsjavaSpfDns(
                        List.of(new InetSocketAddress("127.0.0.1", 1)),
                        Duration.ofMillis(300),
                        100,
                        Clock.systemUTC());
        SpfDns.Answer a = dns.query("example.test", SpfDns.Type.TXT);
        assertThat(a.status()).isEqualTo(SpfDns.Status.TEMPORARY_FAILURE);
        assertThat(dns.cachedNames()).isZero();
    }
}

package dev.mailsec.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsec.testsupport.Dnsmasq;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;

/**
 * The dnsjava path against a real DNS server on loopback: dnsmasq (Debian package dnsmasq-base),
 * forwarding one zone to a responder that answers SERVFAIL and another to a dead port (timeout).
 */
class DnsKeyRecordSourceTest {

    private static final String KEY = TestSigner.rsaRecord(TestSigner.RSA_2048);
    private static Dnsmasq dnsmasq;
    private static int port;
    private static TinyDnsServer servfail;

    @BeforeAll
    static void startDnsmasq(@TempDir Path dir) throws Exception {
        servfail =
                new TinyDnsServer(
                        q -> {
                            Message m = new Message(q.getHeader().getID());
                            m.getHeader().setFlag(Flags.QR);
                            m.getHeader().setFlag(Flags.RA);
                            m.getHeader().setRcode(Rcode.SERVFAIL);
                            m.addRecord(q.getQuestion(), Section.QUESTION);
                            return m;
                        });
        dnsmasq =
                Dnsmasq.start(
                        dir,
                        "--log-queries",
                        "--local-ttl=300",
                        "--local=/example.test/",
                        "--txt-record=sel._domainkey.example.test," + KEY,
                        "--server=/slow.test/127.0.0.1#1",
                        "--server=/fail.test/127.0.0.1#" + servfail.port());
        port = dnsmasq.port();
    }

    @AfterAll
    static void stop() throws Exception {
        if (dnsmasq != null) {
            dnsmasq.close();
        }
        if (servfail != null) {
            servfail.close();
        }
    }

    private static DnsKeyRecordSource.Builder source() {
        return DnsKeyRecordSource.builder()
                .server(new InetSocketAddress("127.0.0.1", port))
                .timeout(Duration.ofMillis(700));
    }

    @Test
    void longRecordSplitIntoStringsIsJoined() {
        KeyLookup l = source().build().lookup("sel._domainkey.example.test");
        assertThat(l.status()).isEqualTo(KeyLookup.Status.FOUND);
        assertThat(KEY.length()).isGreaterThan(255);
        assertThat(l.records()).containsExactly(KEY);
    }

    @Test
    void aMessageVerifiesWithItsKeyFromDns() {
        Map<String, String> t = TestSigner.tags();
        t.put("d", "example.test");
        String signed = TestSigner.signRsa(TestSigner.MESSAGE, t);
        DkimVerification v =
                new DkimVerifier(source().build(), DkimPolicy.defaults())
                        .verify(TestSigner.bytes(signed));
        assertThat(v.results().get(0).result()).isEqualTo(DkimResult.PASS);
    }

    @Test
    void missingNameIsNotFound() {
        KeyLookup l = source().build().lookup("nope._domainkey.example.test");
        assertThat(l.status()).isEqualTo(KeyLookup.Status.NOT_FOUND);
        assertThat(l.detail()).isEqualTo("NXDOMAIN");
    }

    @Test
    void servfailIsATemporaryFailureAndIsNotCached() {
        DnsKeyRecordSource s = source().build();
        int before = servfail.queries();
        KeyLookup l = s.lookup("sel._domainkey.fail.test");
        assertThat(l.status()).isEqualTo(KeyLookup.Status.TEMPORARY_FAILURE);
        assertThat(l.detail()).isEqualTo("SERVFAIL");
        s.lookup("sel._domainkey.fail.test");
        assertThat(servfail.queries() - before).isGreaterThanOrEqualTo(2);
    }

    @Test
    void unansweredQueryTimesOutInBoundedTime() {
        long start = System.nanoTime();
        KeyLookup l = source().build().lookup("sel._domainkey.slow.test");
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(l.status()).isEqualTo(KeyLookup.Status.TEMPORARY_FAILURE);
        assertThat(l.detail()).isEqualTo("timeout");
        assertThat(millis).isBetween(600L, 5000L);
    }

    @Test
    void answersAreCachedForTheirTtlOnly() {
        MutableClock clock = new MutableClock();
        DnsKeyRecordSource s = source().clock(clock).build();
        int before = queriesLoggedSettled("sel._domainkey.example.test", 0);
        s.lookup("sel._domainkey.example.test");
        s.lookup("SEL._domainkey.example.test");
        clock.advance(Duration.ofSeconds(299));
        s.lookup("sel._domainkey.example.test");
        assertThat(queriesLoggedSettled("sel._domainkey.example.test", before + 1) - before)
                .isEqualTo(1);
        clock.advance(Duration.ofSeconds(2));
        s.lookup("sel._domainkey.example.test");
        assertThat(queriesLoggedSettled("sel._domainkey.example.test", before + 2) - before)
                .isEqualTo(2);
    }

    @Test
    void cacheIsBoundedAndTtlIsCapped() throws Exception {
        try (TinyDnsServer tiny =
                new TinyDnsServer(
                        q -> {
                            Message m = new Message(q.getHeader().getID());
                            m.getHeader().setFlag(Flags.QR);
                            m.addRecord(q.getQuestion(), Section.QUESTION);
                            m.addRecord(
                                    new TXTRecord(
                                            q.getQuestion().getName(),
                                            DClass.IN,
                                            86400,
                                            "v=DKIM1; p="),
                                    Section.ANSWER);
                            return m;
                        })) {
            MutableClock clock = new MutableClock();
            DnsKeyRecordSource s =
                    DnsKeyRecordSource.builder()
                            .server(new InetSocketAddress("127.0.0.1", tiny.port()))
                            .cacheSize(2)
                            .maxTtl(Duration.ofMinutes(10))
                            .clock(clock)
                            .build();
            s.lookup("a._domainkey.x.test");
            s.lookup("b._domainkey.x.test");
            s.lookup("c._domainkey.x.test");
            assertThat(s.cachedNames()).isEqualTo(2);
            s.lookup("c._domainkey.x.test");
            assertThat(tiny.queries()).isEqualTo(3);
            s.lookup("a._domainkey.x.test"); // evicted: asked again
            assertThat(tiny.queries()).isEqualTo(4);
            clock.advance(Duration.ofMinutes(11)); // 1-day TTL capped at 10 minutes
            s.lookup("a._domainkey.x.test");
            assertThat(tiny.queries()).isEqualTo(5);
        }
    }

    @Test
    void badServerListIsRefusedNamingTheParameter() {
        Assertions.assertThatThrownBy(() -> DnsKeyRecordSource.builder().servers("dns.example:53"))
                .hasMessage("dnsServers: must be IP addresses, got 'dns.example:53'");
        assertThat(
                        DnsKeyRecordSource.builder()
                                .servers("127.0.0.1:5353, [::1]:53 10.0.0.1")
                                .build()
                                .servers())
                .extracting(InetSocketAddress::getPort)
                .containsExactly(5353, 53, 53);
    }

    /**
     * dnsmasq's log reaches us through a pipe read by another thread, so a query it answered may
     * not be in {@link Dnsmasq#log()} yet: waits (at most 5 s) until {@code expected} queries are
     * logged, then a little longer so that one query too many would show, and returns the count.
     */
    private static int queriesLoggedSettled(String name, int expected) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (queriesLogged(name) < expected && System.nanoTime() < deadline) {
            sleep(20);
        }
        sleep(200);
        return queriesLogged(name);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int queriesLogged(String name) {
        String log = dnsmasq.log();
        int n = 0;
        int i = 0;
        String needle = "query[TXT] " + name + " ";
        while ((i = log.indexOf(needle, i)) >= 0) {
            n++;
            i += needle.length();
        }
        return n;
    }

    private static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-11-23T12:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}

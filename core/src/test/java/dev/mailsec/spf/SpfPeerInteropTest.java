package dev.mailsec.spf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsec.testsupport.Dnsmasq;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interop with an independent SPF implementation: Debian's python3-spf (pyspf 2.0.14, on dnspython)
 * and our {@link SpfChecker} on {@link DnsjavaSpfDns} ask the same dnsmasq on loopback and must
 * give the verdict RFC 7208 asks for on every case of the corpus. A case where pyspf departs from
 * the RFC is listed in {@link #PYSPF_DEPARTURES} with its section and pyspf's own result, which is
 * checked too (none today).
 */
class SpfPeerInteropTest {

    private static final String Z = ".interop.test";

    /** The zone dnsmasq serves; every other name under interop.test is NXDOMAIN. */
    private static final String[] ZONE = {
        "--local=/interop.test/",
        "--txt-record=ip4" + Z + ",v=spf1 ip4:192.0.2.0/24 -all",
        "--txt-record=ip6" + Z + ",v=spf1 ip6:2001:db8::/32 -all",
        "--txt-record=soft" + Z + ",v=spf1 ~all",
        "--txt-record=neutral" + Z + ",v=spf1 ?all",
        "--txt-record=inc" + Z + ",v=spf1 include:ip4" + Z + " -all",
        "--txt-record=incnone" + Z + ",v=spf1 include:norecord" + Z + " -all",
        "--txt-record=redir" + Z + ",v=spf1 redirect=ip6" + Z,
        "--txt-record=a" + Z + ",v=spf1 a -all",
        "--host-record=a" + Z + ",192.0.2.20,2001:db8:20::1",
        "--txt-record=mx" + Z + ",v=spf1 mx -all",
        "--mx-host=mx" + Z + ",mail" + Z + ",10",
        "--host-record=mail" + Z + ",198.51.100.30",
        "--txt-record=exists" + Z + ",v=spf1 exists:%{ir}.%{l}.ex" + Z + " -all",
        "--host-record=40.100.51.198.alice.ex" + Z + ",127.0.0.2",
        "--txt-record=void" + Z + ",v=spf1 a:n1" + Z + " a:n2" + Z + " a:n3" + Z + " -all",
        "--txt-record=void2" + Z + ",v=spf1 a:n1" + Z + " a:n2" + Z + " -all",
        "--txt-record=ten" + Z + ",v=spf1" + " a:mail.interop.test".repeat(10) + " -all",
        "--txt-record=eleven" + Z + ",v=spf1" + " a:mail.interop.test".repeat(11) + " -all",
        "--txt-record=loop1" + Z + ",v=spf1 include:loop2" + Z + " -all",
        "--txt-record=loop2" + Z + ",v=spf1 include:loop1" + Z + " -all",
        "--host-record=norecord" + Z + ",192.0.2.60",
        "--txt-record=badmech" + Z + ",v=spf1 foo:bar" + Z + " -all",
        "--txt-record=badip" + Z + ",v=spf1 ip4:192.0.2.300 -all",
        "--txt-record=two" + Z + ",v=spf1 -all",
        "--txt-record=two" + Z + ",v=spf1 +all",
        "--txt-record=helo" + Z + ",v=spf1 ip4:203.0.113.50 -all",
    };

    /** One check: client ip, MAIL FROM (empty: the null reverse-path), HELO, RFC 7208 verdict. */
    private static final class Case {
        final String name;
        final String ip;
        final String sender;
        final String helo;
        final String expected;

        Case(String name, String ip, String sender, String helo, String expected) {
            this.name = name;
            this.ip = ip;
            this.sender = sender;
            this.helo = helo;
            this.expected = expected;
        }

        @Override
        public String toString() {
            return name + " (" + ip + ", <" + sender + ">, " + helo + ")";
        }
    }

    private static Case c(String name, String ip, String domain, String expected) {
        return new Case(name, ip, "alice@" + domain + Z, "client.example", expected);
    }

    static final List<Case> CORPUS =
            List.of(
                    c("ip4 pass", "192.0.2.5", "ip4", "pass"),
                    c("ip4 fail", "198.51.100.1", "ip4", "fail"),
                    c("ip6 pass", "2001:db8::1", "ip6", "pass"),
                    c("ip6 fail", "2001:db9::1", "ip6", "fail"),
                    c("ip4 client on ip6-only record", "192.0.2.5", "ip6", "fail"),
                    c("softfail", "192.0.2.5", "soft", "softfail"),
                    c("neutral", "192.0.2.5", "neutral", "neutral"),
                    c("include pass", "192.0.2.5", "inc", "pass"),
                    c("include no match then -all", "198.51.100.1", "inc", "fail"),
                    // section 5.2: include of a domain without record is permerror
                    c("include of no record", "192.0.2.5", "incnone", "permerror"),
                    c("redirect pass", "2001:db8::9", "redir", "pass"),
                    c("redirect fail", "192.0.2.5", "redir", "fail"),
                    c("a pass ip4", "192.0.2.20", "a", "pass"),
                    c("a pass ip6", "2001:db8:20::1", "a", "pass"),
                    c("a fail", "192.0.2.21", "a", "fail"),
                    c("mx pass", "198.51.100.30", "mx", "pass"),
                    c("mx fail", "198.51.100.31", "mx", "fail"),
                    c("exists with %{ir}.%{l} pass", "198.51.100.40", "exists", "pass"),
                    c("exists with %{ir}.%{l} fail", "198.51.100.41", "exists", "fail"),
                    // section 4.6.4: more than 2 void lookups is permerror
                    c("3 void lookups", "192.0.2.5", "void", "permerror"),
                    c("2 void lookups", "192.0.2.5", "void2", "fail"),
                    // section 4.6.4: more than 10 DNS-querying terms is permerror
                    c("10 lookups", "192.0.2.5", "ten", "fail"),
                    c("11 lookups", "192.0.2.5", "eleven", "permerror"),
                    c("include loop", "192.0.2.5", "loop1", "permerror"),
                    c("no record", "192.0.2.5", "norecord", "none"),
                    c("nxdomain", "192.0.2.5", "nxdomain", "none"),
                    c("unknown mechanism", "192.0.2.5", "badmech", "permerror"),
                    c("bad ip4 address", "192.0.2.5", "badip", "permerror"),
                    // section 4.5: two SPF records is permerror
                    c("two records", "192.0.2.5", "two", "permerror"),
                    new Case("HELO pass, null sender", "203.0.113.50", "", "helo" + Z, "pass"),
                    new Case("HELO fail, null sender", "203.0.113.51", "", "helo" + Z, "fail"));

    /**
     * Cases where pyspf departs from RFC 7208: case name to pyspf's result, with the section in the
     * comment. Empty: on this corpus pyspf 2.0.14 gives what the RFC asks every time.
     */
    static final Map<String, String> PYSPF_DEPARTURES = Map.of();

    @Test
    void ourVerdictsAndPyspfsAgreeWithRfc7208(@TempDir Path dir) throws Exception {
        assertThat(CORPUS).hasSizeGreaterThanOrEqualTo(15);
        try (Dnsmasq dnsmasq = Dnsmasq.start(dir, ZONE)) {
            List<String> ours = ours(dnsmasq.port());
            List<String> peer = pyspf(dir, dnsmasq.port());
            List<String> wrong = new ArrayList<>();
            for (int i = 0; i < CORPUS.size(); i++) {
                Case k = CORPUS.get(i);
                if (!ours.get(i).equals(k.expected)) {
                    wrong.add("ours " + ours.get(i) + " for " + k + ", RFC " + k.expected);
                }
                String peerWants = PYSPF_DEPARTURES.getOrDefault(k.name, k.expected);
                String peerSaid = peer.get(i).split("\t", 2)[0];
                if (!peerSaid.equals(peerWants)) {
                    wrong.add("pyspf " + peer.get(i) + " for " + k + ", expected " + peerWants);
                }
            }
            assertThat(wrong).as("dnsmasq log: %s", dnsmasq.log()).isEmpty();
        }
    }

    private static List<String> ours(int port) throws Exception {
        DnsjavaSpfDns dns =
                new DnsjavaSpfDns(
                        List.of(new InetSocketAddress("127.0.0.1", port)),
                        Duration.ofSeconds(2),
                        DnsjavaSpfDns.DEFAULT_CACHE_SIZE,
                        Clock.systemUTC());
        SpfChecker checker = new SpfChecker(dns, SpfLimits.defaults());
        List<String> verdicts = new ArrayList<>();
        for (Case k : CORPUS) {
            InetAddress ip = InetAddress.getByName(k.ip);
            verdicts.add(checker.checkMailFrom(ip, k.sender, k.helo).code().keyword());
        }
        return verdicts;
    }

    /** All cases through one pyspf process (Debian's /usr/bin/python3, where python3-spf is). */
    private static List<String> pyspf(Path dir, int port) throws Exception {
        Path script = dir.resolve("pyspf-check.py");
        try (InputStream in = SpfPeerInteropTest.class.getResourceAsStream("pyspf-check.py")) {
            Files.copy(in, script);
        }
        Process p =
                new ProcessBuilder("/usr/bin/python3", script.toString(), String.valueOf(port))
                        .redirectError(dir.resolve("pyspf.err").toFile())
                        .start();
        StringBuilder input = new StringBuilder();
        for (Case k : CORPUS) {
            input.append(k.ip).append('\t').append(k.sender).append('\t').append(k.helo);
            input.append('\n');
        }
        try (OutputStream out = p.getOutputStream()) {
            out.write(input.toString().getBytes(StandardCharsets.UTF_8));
        }
        List<String> lines = new ArrayList<>();
        try (BufferedReader r =
                new BufferedReader(
                        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                lines.add(line);
            }
        }
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String err = Files.readString(dir.resolve("pyspf.err"));
        assertThat(p.exitValue()).as("pyspf: %s", err).isZero();
        assertThat(lines).as("pyspf: %s", err).hasSize(CORPUS.size());
        return lines;
    }
}

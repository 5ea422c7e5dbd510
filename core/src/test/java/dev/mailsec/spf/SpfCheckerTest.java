package dev.mailsec.spf;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The engine on zone files: results, limits and hostile records (RFC 7208 sections 4.6.4, 7). */
class SpfCheckerTest {

    private static final String ZONE =
            "$ORIGIN example.test.\n"
                    + "@ TXT \"v=spf1 ip4:192.0.2.0/24 include:inc.example.test -all\"\n"
                    + "inc TXT \"v=spf1 a:host.example.test ~all\"\n"
                    + "host A 198.51.100.7\n"
                    + "mx-only TXT \"v=spf1 mx -all\"\n"
                    + "mx-only MX 10 host.example.test.\n"
                    + "soft TXT \"v=spf1 ~all\"\n"
                    + "explained TXT \"v=spf1 -all exp=why.example.test\"\n"
                    + "why TXT \"%{i} may not send for %{d}\"\n"
                    + "loop1 TXT \"v=spf1 include:loop2.example.test -all\"\n"
                    + "loop2 TXT \"v=spf1 include:loop1.example.test -all\"\n"
                    + "self TXT \"v=spf1 redirect=self.example.test\"\n"
                    + "eleven TXT \"v=spf1 a:n1.example.test a:n2.example.test a:n3.example.test"
                    + " a:n4.example.test a:n5.example.test a:n6.example.test a:n7.example.test"
                    + " a:n8.example.test a:n9.example.test a:n10.example.test"
                    + " a:n11.example.test -all\"\n"
                    + "ten TXT \"v=spf1 a:n1.example.test a:n2.example.test a:n3.example.test"
                    + " a:n4.example.test a:n5.example.test a:n6.example.test a:n7.example.test"
                    + " a:n8.example.test a:n9.example.test a:n10.example.test -all\"\n"
                    + "three-void TXT \"v=spf1 a:v1.example.test a:v2.example.test"
                    + " a:v3.example.test -all\"\n"
                    + "two-void TXT \"v=spf1 a:v1.example.test a:v2.example.test -all\"\n"
                    + "timeout TXT \"v=spf1 a:slow.example.test -all\"\n"
                    + "slow TXT \"TIMEOUT\"\n"
                    + "n1 A 203.0.113.1\nn2 A 203.0.113.2\nn3 A 203.0.113.3\n"
                    + "n4 A 203.0.113.4\nn5 A 203.0.113.5\nn6 A 203.0.113.6\n"
                    + "n7 A 203.0.113.7\nn8 A 203.0.113.8\nn9 A 203.0.113.9\n"
                    + "n10 A 203.0.113.10\nn11 A 203.0.113.11\n"
                    + "two TXT \"v=spf1 -all\"\ntwo TXT \"v=spf1 +all\"\n"
                    + "bad TXT \"v=spf1 ip4:192.0.2.300 -all\"\n"
                    + "exploding TXT \"v=spf1 "
                    + "exists:%{l}%{l}%{l}%{l}%{l}%{l}%{l}%{l}%{l}%{l}%{l}%{l}%{l}%{l}%{l}%{l}"
                    + "%{l}%{l}%{l}%{l}%{l}%{l}%{l}%{l}%{l}%{l}%{l}%{l}%{l}%{l}%{l}%{l}.example.test"
                    + " -all\"\n";

    private static final SpfChecker SPF =
            new SpfChecker(ZoneFileSpfDns.parse(ZONE, "test.zone"), SpfLimits.defaults());

    private static SpfResult check(String ip, String mailFrom) throws Exception {
        return SPF.checkMailFrom(InetAddress.getByName(ip), mailFrom, "client.example.test");
    }

    @Test
    void ip4PassesIncludeSoftfailsOthersFail() throws Exception {
        SpfResult pass = check("192.0.2.9", "a@example.test");
        assertThat(pass.code()).isEqualTo(SpfResult.Code.PASS);
        assertThat(pass.reason()).isEqualTo("matched ip4:192.0.2.0/24 at example.test");
        assertThat(check("198.51.100.7", "a@example.test").code()).isEqualTo(SpfResult.Code.PASS);
        SpfResult fail = check("203.0.113.1", "a@example.test");
        assertThat(fail.code()).isEqualTo(SpfResult.Code.FAIL);
        assertThat(fail.lookups())
                .containsExactly(
                        "TXT example.test: FOUND [v=spf1 ip4:192.0.2.0/24"
                                + " include:inc.example.test -all]",
                        "TXT inc.example.test: FOUND [v=spf1 a:host.example.test ~all]",
                        "A host.example.test: FOUND [198.51.100.7]");
        assertThat(check("203.0.113.1", "a@soft.example.test").code())
                .isEqualTo(SpfResult.Code.SOFTFAIL);
        assertThat(check("198.51.100.7", "a@mx-only.example.test").code())
                .isEqualTo(SpfResult.Code.PASS);
    }

    @Test
    void nullSenderChecksHeloAndNoRecordIsNone() throws Exception {
        SpfResult r = SPF.checkMailFrom(InetAddress.getByName("192.0.2.1"), null, "example.test");
        assertThat(r.scope()).isEqualTo(SpfResult.Scope.HELO);
        assertThat(r.code()).isEqualTo(SpfResult.Code.PASS);
        assertThat(r.toMap())
                .containsEntry("scope", "helo")
                .containsEntry("domain", "example.test")
                .containsEntry("helo", "example.test");
        assertThat(check("192.0.2.1", "a@nothing.example.test").code())
                .isEqualTo(SpfResult.Code.NONE);
        assertThat(check("192.0.2.1", "a@[192.0.2.1]").code()).isEqualTo(SpfResult.Code.NONE);
    }

    @Test
    void failCarriesTheExpandedExplanation() throws Exception {
        SpfResult r = check("192.0.2.77", "a@explained.example.test");
        assertThat(r.code()).isEqualTo(SpfResult.Code.FAIL);
        assertThat(r.explanation()).isEqualTo("192.0.2.77 may not send for explained.example.test");
    }

    @Test
    void includeLoopIsPermerrorAfterTenLookups() throws Exception {
        SpfResult r = check("192.0.2.1", "a@loop1.example.test");
        assertThat(r.code()).isEqualTo(SpfResult.Code.PERMERROR);
        assertThat(r.reason()).startsWith("more than 10 DNS lookups");
        assertThat(r.lookups()).hasSize(11);
        assertThat(check("192.0.2.1", "a@self.example.test").code())
                .isEqualTo(SpfResult.Code.PERMERROR);
    }

    @Test
    void tenLookupsAreAllowedElevenArePermerror() throws Exception {
        assertThat(check("203.0.113.10", "a@ten.example.test").code())
                .isEqualTo(SpfResult.Code.PASS);
        SpfResult r = check("203.0.113.11", "a@eleven.example.test");
        assertThat(r.code()).isEqualTo(SpfResult.Code.PERMERROR);
        assertThat(r.reason()).isEqualTo("more than 10 DNS lookups (a:n11.example.test)");
    }

    @Test
    void twoVoidLookupsAreAllowedThreeArePermerror() throws Exception {
        assertThat(check("192.0.2.1", "a@two-void.example.test").code())
                .isEqualTo(SpfResult.Code.FAIL);
        SpfResult r = check("192.0.2.1", "a@three-void.example.test");
        assertThat(r.code()).isEqualTo(SpfResult.Code.PERMERROR);
        assertThat(r.reason()).isEqualTo("more than 2 void lookups (a:v3.example.test)");
    }

    @Test
    void dnsTimeoutIsTemperror() throws Exception {
        SpfResult r = check("192.0.2.1", "a@timeout.example.test");
        assertThat(r.code()).isEqualTo(SpfResult.Code.TEMPERROR);
        assertThat(r.reason()).contains("timeout");
    }

    @Test
    void twoRecordsAndBadSyntaxArePermerror() throws Exception {
        assertThat(check("192.0.2.1", "a@two.example.test").code())
                .isEqualTo(SpfResult.Code.PERMERROR);
        assertThat(check("192.0.2.1", "a@bad.example.test").reason()).contains("bad IPv4 address");
    }

    @Test
    void hundredKilobyteRecordIsPermerror() throws Exception {
        StringBuilder record = new StringBuilder("v=spf1");
        while (record.length() < 100 * 1024) {
            record.append(" ip4:192.0.2.1");
        }
        SpfDns dns =
                (name, type) ->
                        type == SpfDns.Type.TXT
                                ? SpfDns.Answer.of(java.util.List.of(record.toString()))
                                : SpfDns.Answer.nxdomain();
        SpfResult r =
                new SpfChecker(dns, SpfLimits.defaults())
                        .checkMailFrom(InetAddress.getByName("192.0.2.1"), "a@big.test", "h.test");
        assertThat(r.code()).isEqualTo(SpfResult.Code.PERMERROR);
        assertThat(r.reason()).contains("longer than 16384");
    }

    @Test
    void explodingMacroExpansionIsPermerror() throws Exception {
        String local = "x".repeat(300);
        SpfResult r = check("192.0.2.1", local + "@exploding.example.test");
        assertThat(r.code()).isEqualTo(SpfResult.Code.PERMERROR);
        assertThat(r.reason()).contains("macro expansion longer than 8192");
    }

    @Test
    void everyRecordIsBoundedInQueriesWhateverItHolds() throws Exception {
        // every name answers with 10 MX names and a record of 10 mx and include terms
        AtomicInteger queries = new AtomicInteger();
        SpfDns hostile =
                (name, type) -> {
                    queries.incrementAndGet();
                    switch (type) {
                        case TXT:
                            return SpfDns.Answer.of(
                                    java.util.List.of(
                                            "v=spf1 mx mx mx mx mx include:%{d}.x.test"
                                                    + " mx:a.%{d} mx:b.%{d} mx:c.%{d} ptr -all"));
                        case MX:
                            java.util.List<String> names = new java.util.ArrayList<>();
                            for (int i = 0; i < 10; i++) {
                                names.add("m" + i + "." + name);
                            }
                            return SpfDns.Answer.of(names);
                        default:
                            return SpfDns.Answer.of(java.util.List.of("203.0.113.200"));
                    }
                };
        SpfResult r =
                new SpfChecker(hostile, SpfLimits.defaults())
                        .checkMailFrom(InetAddress.getByName("192.0.2.1"), "a@h.test", "h.test");
        assertThat(r.code()).isEqualTo(SpfResult.Code.PERMERROR);
        // 10 terms, each at most 1 + 10 address queries, plus TXT lookups: far under 200
        assertThat(queries.get()).isLessThanOrEqualTo(10 * 11 + 2);
        assertThat(r.lookups()).hasSize(queries.get());
    }

    @Test
    void totalTimeBoundGivesTemperror() throws Exception {
        Instant[] now = {Instant.EPOCH};
        Clock clock =
                new Clock() {
                    @Override
                    public ZoneId getZone() {
                        return ZoneId.of("UTC");
                    }

                    @Override
                    public Clock withZone(ZoneId zone) {
                        return this;
                    }

                    @Override
                    public Instant instant() {
                        return now[0];
                    }
                };
        SpfDns slow =
                (name, type) -> {
                    now[0] = now[0].plusSeconds(3);
                    return type == SpfDns.Type.TXT
                            ? SpfDns.Answer.of(
                                    java.util.List.of(
                                            "v=spf1 a:a.x.test a:b.x.test a:c.x.test a:d.x.test"
                                                    + " a:e.x.test a:f.x.test a:g.x.test a:h.x.test"
                                                    + " -all"))
                            : SpfDns.Answer.of(java.util.List.of("203.0.113.1"));
                };
        SpfResult r =
                new SpfChecker(
                                slow,
                                SpfLimits.defaults().withTotalTime(Duration.ofSeconds(10)),
                                clock)
                        .checkMailFrom(InetAddress.getByName("192.0.2.1"), "a@t.test", "h.test");
        assertThat(r.code()).isEqualTo(SpfResult.Code.TEMPERROR);
        assertThat(r.reason()).isEqualTo("SPF check took longer than PT10S");
        assertThat(r.lookups()).hasSize(4);
    }

    @Test
    void aFaultyDnsImplementationIsTemperrorNotACrash() throws Exception {
        SpfDns broken =
                (name, type) -> {
                    throw new IllegalStateException("bug");
                };
        SpfResult r =
                new SpfChecker(broken, SpfLimits.defaults())
                        .checkMailFrom(InetAddress.getByName("192.0.2.1"), "a@t.test", "h.test");
        assertThat(r.code()).isEqualTo(SpfResult.Code.TEMPERROR);
        assertThat(r.reason()).isEqualTo("internal error: IllegalStateException");
    }

    @Test
    void ipv6ClientMatchesIp6AndAaaa() throws Exception {
        SpfDns dns =
                ZoneFileSpfDns.parse(
                        "six.test. TXT \"v=spf1 ip6:2001:db8::/32 a:h.six.test//64 -all\"\n"
                                + "h.six.test. AAAA 2001:db9:0:1::1\n",
                        "z");
        SpfChecker c = new SpfChecker(dns, SpfLimits.defaults());
        assertThat(c.checkMailFrom(InetAddress.getByName("2001:db8::5"), "a@six.test", "").code())
                .isEqualTo(SpfResult.Code.PASS);
        assertThat(
                        c.checkMailFrom(InetAddress.getByName("2001:db9:0:1::77"), "a@six.test", "")
                                .code())
                .isEqualTo(SpfResult.Code.PASS);
        SpfResult fail = c.checkMailFrom(InetAddress.getByName("2001:dba::1"), "a@six.test", "");
        assertThat(fail.code()).isEqualTo(SpfResult.Code.FAIL);
        assertThat(fail.ip()).isEqualTo("2001:dba::1");
    }
}

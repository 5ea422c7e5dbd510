package dev.mailsec.dmarc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailsec.authres.AuthenticationResults;
import dev.mailsec.dkim.KeyLookup;
import dev.mailsec.dkim.KeyRecordSource;
import dev.mailsec.tls.connector.IpRange;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DmarcTest {

    /** A fake DNS: TXT records by name; "exists" names without TXT; the rest NXDOMAIN. */
    static final class FakeDns implements KeyRecordSource {
        final Map<String, List<String>> txt = new HashMap<>();
        final Set<String> exists = new HashSet<>();
        final Set<String> failing = new HashSet<>();
        final List<String> asked = new ArrayList<>();

        FakeDns with(String name, String... records) {
            txt.put(name, List.of(records));
            return this;
        }

        @Override
        public KeyLookup lookup(String name) {
            asked.add(name);
            if (failing.contains(name)) {
                return KeyLookup.temporaryFailure("SERVFAIL");
            }
            List<String> r = txt.get(name);
            if (r != null) {
                return KeyLookup.found(r);
            }
            return exists.contains(name)
                    ? KeyLookup.notFound("no TXT record")
                    : KeyLookup.notFound("NXDOMAIN");
        }
    }

    private final FakeDns dns =
            new FakeDns()
                    .with(
                            "_dmarc.example.com",
                            "v=DMARC1; p=reject; sp=quarantine; rua=mailto:d@example.com")
                    .with("_dmarc.none.example", "v=DMARC1; p=none");

    private DmarcVerdict evaluate(DmarcSettings settings, DmarcInputs in) {
        return new Dmarc(dns, settings).evaluate(in);
    }

    private DmarcVerdict evaluate(DmarcInputs in) {
        return evaluate(DmarcSettings.defaults(), in);
    }

    private static DmarcInputs.Builder from(String from) {
        return DmarcInputs.builder().from(from).sourceIp("192.0.2.7").sampleKey("m1");
    }

    @Test
    void relaxedDkimAlignmentPasses() {
        DmarcVerdict v = evaluate(from("a@example.com").dkim("pass", "mail.example.com").build());
        assertThat(v.result()).isEqualTo(DmarcResult.PASS);
        assertThat(v.dkimAligned()).isTrue();
        assertThat(v.policy()).isEqualTo(DmarcPolicy.REJECT);
        assertThat(v.disposition()).isEqualTo(DmarcPolicy.NONE);
        assertThat(v.orgDomain()).isEqualTo("example.com");
        assertThat(v.rua()).isEqualTo("mailto:d@example.com");
        assertThat(v.sourceIp()).isEqualTo("192.0.2.7");
    }

    @Test
    void strictDkimAlignmentNeedsTheSameName() {
        dns.with("_dmarc.strict.example", "v=DMARC1; p=reject; adkim=s");
        DmarcVerdict v =
                evaluate(from("a@strict.example").dkim("pass", "sub.strict.example").build());
        assertThat(v.result()).isEqualTo(DmarcResult.FAIL);
        assertThat(v.disposition()).isEqualTo(DmarcPolicy.REJECT);
    }

    @Test
    void policyDomainIsTheDomainWhoseRecordWasEvaluated() {
        dns.with("_dmarc.own.example.com", "v=DMARC1; p=none; rua=mailto:d@own.example.com");
        DmarcVerdict org = evaluate(from("a@shop.example.com").build());
        assertThat(org.policyDomain()).isEqualTo("example.com");
        assertThat(org.fromDomain()).isEqualTo("shop.example.com");
        assertThat(org.toMap()).containsEntry("policyDomain", "example.com");
        DmarcVerdict own = evaluate(from("a@own.example.com").build());
        assertThat(own.policyDomain()).isEqualTo("own.example.com");
        assertThat(own.orgDomain()).isEqualTo("example.com");
        DmarcVerdict none = evaluate(from("a@nothing.example").build());
        assertThat(none.result()).isEqualTo(DmarcResult.NONE);
        assertThat(none.toMap()).containsEntry("policyDomain", "");
    }

    @Test
    void failingOrUnrelatedSignaturesDoNotAlign() {
        DmarcVerdict v =
                evaluate(
                        from("a@example.com")
                                .dkim("fail", "example.com")
                                .dkim("pass", "evil.example")
                                .build());
        assertThat(v.result()).isEqualTo(DmarcResult.FAIL);
        assertThat(v.dkimAligned()).isFalse();
        assertThat(v.disposition()).isEqualTo(DmarcPolicy.REJECT);
        assertThat(v.record()).startsWith("v=DMARC1; p=reject");
    }

    @Test
    void spfAlignsOnlyForMailFrom() {
        assertThat(
                        evaluate(
                                        from("a@example.com")
                                                .spf("pass", "bounce.example.com", "mailfrom")
                                                .build())
                                .result())
                .isEqualTo(DmarcResult.PASS);
        DmarcVerdict helo =
                evaluate(from("a@example.com").spf("pass", "example.com", "helo").build());
        assertThat(helo.result()).isEqualTo(DmarcResult.FAIL);
        assertThat(helo.spfAligned()).isFalse();
        assertThat(
                        evaluate(
                                        from("a@example.com")
                                                .spf("softfail", "example.com", "mailfrom")
                                                .build())
                                .result())
                .isEqualTo(DmarcResult.FAIL);
    }

    @Test
    void subdomainGetsSpAndNonExistentSubdomainGetsNp() {
        dns.exists.add("shop.example.com");
        DmarcVerdict sub = evaluate(from("a@shop.example.com").build());
        assertThat(sub.policy()).isEqualTo(DmarcPolicy.QUARANTINE);
        assertThat(sub.disposition()).isEqualTo(DmarcPolicy.QUARANTINE);

        dns.with("_dmarc.np.example", "v=DMARC1; p=none; sp=none; np=reject");
        dns.exists.add("real.np.example");
        assertThat(evaluate(from("a@ghost.np.example").build()).policy())
                .isEqualTo(DmarcPolicy.REJECT);
        assertThat(evaluate(from("a@real.np.example").build()).policy())
                .isEqualTo(DmarcPolicy.NONE);
    }

    @Test
    void noRecordIsNoneAndMultipleRecordsAreNone() {
        assertThat(evaluate(from("a@unknown.example").build()).result())
                .isEqualTo(DmarcResult.NONE);
        dns.with("_dmarc.twice.example", "v=DMARC1; p=reject", "v=DMARC1; p=none", "v=spf1 -all");
        DmarcVerdict v = evaluate(from("a@twice.example").build());
        assertThat(v.result()).isEqualTo(DmarcResult.NONE);
        assertThat(v.reason()).contains("2 DMARC records");
    }

    @Test
    void temporaryDnsFailureIsTemperror() {
        dns.failing.add("_dmarc.flaky.example");
        DmarcVerdict v = evaluate(from("a@flaky.example").build());
        assertThat(v.result()).isEqualTo(DmarcResult.TEMPERROR);
        assertThat(v.disposition()).isEqualTo(DmarcPolicy.NONE);
    }

    @Test
    void unusableRecordIsPermerror() {
        dns.with("_dmarc.broken.example", "v=DMARC1; p=maybe");
        assertThat(evaluate(from("a@broken.example").build()).result())
                .isEqualTo(DmarcResult.PERMERROR);
        dns.with("_dmarc.huge.example", "v=DMARC1; p=reject; " + "x".repeat(20_000));
        assertThat(evaluate(from("a@huge.example").build()).result())
                .isEqualTo(DmarcResult.PERMERROR);
    }

    @Test
    void pctZeroAndTestingApplyTheMilderPolicy() {
        dns.with("_dmarc.pct.example", "v=DMARC1; p=reject; pct=0");
        DmarcVerdict v = evaluate(from("a@pct.example").build());
        assertThat(v.result()).isEqualTo(DmarcResult.FAIL);
        assertThat(v.policy()).isEqualTo(DmarcPolicy.REJECT);
        assertThat(v.disposition()).isEqualTo(DmarcPolicy.QUARANTINE);
        assertThat(v.override()).isEqualTo(DmarcOverride.SAMPLED_OUT);
        dns.with("_dmarc.t.example", "v=DMARC1; p=quarantine; t=y");
        assertThat(evaluate(from("a@t.example").build()).disposition()).isEqualTo(DmarcPolicy.NONE);
    }

    @Test
    void pctSamplingIsDeterministicWithASeed() {
        dns.with("_dmarc.half.example", "v=DMARC1; p=reject; pct=50");
        DmarcSettings seeded = DmarcSettings.builder().samplingSeed(42).build();
        int rejected = 0;
        for (int i = 0; i < 400; i++) {
            DmarcInputs in =
                    DmarcInputs.builder().from("a@half.example").sampleKey("mail" + i).build();
            DmarcPolicy first = evaluate(seeded, in).disposition();
            assertThat(evaluate(seeded, in).disposition()).isEqualTo(first);
            rejected += first == DmarcPolicy.REJECT ? 1 : 0;
        }
        assertThat(rejected).isBetween(140, 260);
    }

    @Test
    void localOverrides() {
        DmarcSettings allow = DmarcSettings.builder().allowDomain("example.com").build();
        DmarcVerdict v = evaluate(allow, from("a@shop.example.com").build());
        assertThat(v.result()).isEqualTo(DmarcResult.FAIL);
        assertThat(v.disposition()).isEqualTo(DmarcPolicy.NONE);
        assertThat(v.override()).isEqualTo(DmarcOverride.LOCAL_POLICY);

        DmarcSettings nets =
                DmarcSettings.builder().allowNetwork(IpRange.parse("192.0.2.0/24")).build();
        assertThat(evaluate(nets, from("a@example.com").build()).override())
                .isEqualTo(DmarcOverride.TRUSTED_FORWARDER);
        assertThat(
                        evaluate(nets, from("a@example.com").sourceIp("198.51.100.1").build())
                                .override())
                .isEqualTo(DmarcOverride.NONE);
        assertThat(
                        evaluate(nets, from("a@example.com").sourceIp("host.example").build())
                                .override())
                .isEqualTo(DmarcOverride.NONE);
    }

    @Test
    void trustedArcSealerWithAnEarlierPassOverridesAFail() {
        DmarcSettings trusted =
                DmarcSettings.builder().trustedArcSealer("lists.example.org").build();
        DmarcInputs forwarded =
                from("a@example.com")
                        .dkim("fail", "example.com")
                        .arc("pass")
                        .arcSet(
                                1,
                                "lists.example.org",
                                "lists.example.org; dkim=pass (good) header.d=example.com; spf=fail")
                        .build();
        DmarcVerdict v = evaluate(trusted, forwarded);
        assertThat(v.result()).isEqualTo(DmarcResult.FAIL);
        assertThat(v.override()).isEqualTo(DmarcOverride.ARC);
        assertThat(v.disposition()).isEqualTo(DmarcPolicy.NONE);
        String ar = AuthenticationResults.of("mx.test", List.of(v.methodResult())).value();
        assertThat(ar)
                .contains("dmarc=fail")
                .contains("header.from=example.com")
                .contains("policy.dmarc=reject")
                .contains("policy.override=arc");
    }

    @Test
    void arcDoesNotOverrideWhenUntrustedFailingOrWithoutPass() {
        DmarcSettings trusted =
                DmarcSettings.builder().trustedArcSealer("lists.example.org").build();
        DmarcInputs.Builder base = from("a@example.com");
        assertThat(
                        evaluate(
                                        trusted,
                                        base.arc("pass")
                                                .arcSet(
                                                        1,
                                                        "other.example",
                                                        "other.example; dkim=pass")
                                                .build())
                                .override())
                .isEqualTo(DmarcOverride.NONE);
        DmarcInputs failing =
                from("a@example.com")
                        .arc("fail")
                        .arcSet(1, "lists.example.org", "x; dkim=pass")
                        .build();
        assertThat(evaluate(trusted, failing).override()).isEqualTo(DmarcOverride.NONE);
        DmarcInputs noPass =
                from("a@example.com")
                        .arc("pass")
                        .arcSet(1, "lists.example.org", "x; dkim=fail (dkim=pass)")
                        .build();
        assertThat(evaluate(trusted, noPass).override()).isEqualTo(DmarcOverride.NONE);
    }

    @Test
    void severalFromDomainsGetTheStrictestVerdict() {
        DmarcVerdict v =
                evaluate(
                        DmarcInputs.builder()
                                .from("a@none.example, b@example.com")
                                .dkim("pass", "none.example")
                                .build());
        assertThat(v.fromDomain()).isEqualTo("example.com");
        assertThat(v.disposition()).isEqualTo(DmarcPolicy.REJECT);
    }

    @Test
    void missingOrTooManyFromDomainsArePermerror() {
        assertThat(evaluate(DmarcInputs.builder().build()).result())
                .isEqualTo(DmarcResult.PERMERROR);
        StringBuilder six = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            six.append(i == 0 ? "" : ",").append("a@d").append(i).append(".example");
        }
        DmarcVerdict v = evaluate(DmarcInputs.builder().from(six.toString()).build());
        assertThat(v.result()).isEqualTo(DmarcResult.PERMERROR);
        assertThat(dns.asked).isEmpty();
    }

    @Test
    void treeWalkFindsTheRecordAndTheOrgDomainWithinEightQueries() {
        dns.with("_dmarc.example.com", "v=DMARC1; p=reject; sp=quarantine; psd=n");
        DmarcSettings walk = DmarcSettings.builder().orgDomainMode(OrgDomainMode.TREEWALK).build();
        DmarcVerdict v =
                evaluate(
                        walk,
                        from("a@a.b.c.d.e.f.g.h.i.example.com")
                                .dkim("pass", "x.example.com")
                                .build());
        assertThat(v.orgDomain()).isEqualTo("example.com");
        assertThat(v.result()).isEqualTo(DmarcResult.PASS);
        assertThat(dns.asked.stream().filter(n -> n.startsWith("_dmarc.")).distinct().count())
                .isLessThanOrEqualTo(8 + 2);
    }

    @Test
    void treeWalkHonoursPsdY() {
        dns.with("_dmarc.psd.example", "v=DMARC1; p=reject; psd=y");
        DmarcSettings walk = DmarcSettings.builder().orgDomainMode(OrgDomainMode.TREEWALK).build();
        DmarcVerdict v =
                evaluate(
                        walk,
                        from("a@mail.shop.psd.example").dkim("pass", "other.psd.example").build());
        assertThat(v.orgDomain()).isEqualTo("shop.psd.example");
        assertThat(v.result()).isEqualTo(DmarcResult.FAIL);
        assertThat(v.policy()).isEqualTo(DmarcPolicy.REJECT);
    }

    @Test
    void discoverReportsTheRecordAndOrgDomain() {
        Dmarc.Discovered d = new Dmarc(dns, DmarcSettings.defaults()).discover("Shop.Example.com");
        assertThat(d.orgDomain).isEqualTo("example.com");
        assertThat(d.recordDomain).isEqualTo("example.com");
        assertThat(d.record.p()).isEqualTo(DmarcPolicy.REJECT);
    }
}

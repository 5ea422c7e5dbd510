package dev.mailsec.bench.dmarc;

import dev.mailsec.dkim.ZoneFileKeyRecordSource;
import dev.mailsec.dmarc.Dmarc;
import dev.mailsec.dmarc.DmarcInputs;
import dev.mailsec.dmarc.DmarcResult;
import dev.mailsec.dmarc.DmarcSettings;
import dev.mailsec.dmarc.DmarcVerdict;
import dev.mailsec.dmarc.OrgDomainMode;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * JMH: one DMARC evaluation ({@code Dmarc.evaluate}, what VerifyDmarc adds per mail after DKIM)
 * with DNS answered from memory (the zone-file source, a map lookup like a DNS cache hit): a
 * relaxed-aligned DKIM pass, and a fail from a subdomain (two lookups plus the PSL), by PSL and by
 * tree walk, with the ARC override check on a trusted sealer.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class DmarcEvaluateBench {

    @Param({"psl", "treewalk"})
    public String orgDomain;

    private Dmarc dmarc;
    private DmarcInputs pass;
    private DmarcInputs arcOverride;

    @Setup
    public void setUp() {
        ZoneFileKeyRecordSource zone =
                ZoneFileKeyRecordSource.parse(
                        "_dmarc.example.com. IN TXT \"v=DMARC1; p=reject; sp=quarantine;"
                                + " rua=mailto:dmarc@example.com; fo=1\"\n"
                                + "shop.example.com. IN TXT \"v=spf1 -all\"\n",
                        "bench");
        dmarc =
                new Dmarc(
                        zone,
                        DmarcSettings.builder()
                                .orgDomainMode(OrgDomainMode.fromKeyword(orgDomain))
                                .trustedArcSealer("lists.example.org")
                                .build());
        pass =
                DmarcInputs.builder()
                        .from("Alice <alice@example.com>")
                        .dkim("pass", "mail.example.com")
                        .spf("pass", "bounces.other.example", "mailfrom")
                        .sourceIp("192.0.2.1")
                        .build();
        arcOverride =
                DmarcInputs.builder()
                        .from("\"Shop\" <news@shop.example.com>")
                        .dkim("fail", "shop.example.com")
                        .spf("pass", "lists.example.org", "mailfrom")
                        .arc("pass")
                        .arcSet(
                                1,
                                "lists.example.org",
                                "lists.example.org; dkim=pass header.d=shop.example.com; spf=pass smtp.mailfrom=shop.example.com")
                        .sourceIp("192.0.2.1")
                        .build();
        if (evaluatePass().result() != DmarcResult.PASS
                || !evaluateFailWithArcOverride().override().keyword().equals("arc")) {
            throw new IllegalStateException("benchmark inputs do not give the expected verdicts");
        }
    }

    @Benchmark
    public DmarcVerdict evaluatePass() {
        return dmarc.evaluate(pass);
    }

    @Benchmark
    public DmarcVerdict evaluateFailWithArcOverride() {
        return dmarc.evaluate(arcOverride);
    }
}

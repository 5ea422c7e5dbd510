package dev.mailsec.bench.authentication;

import dev.mailsec.arc.ArcResult;
import dev.mailsec.arc.ArcSealer;
import dev.mailsec.arc.ArcVerification;
import dev.mailsec.arc.ArcVerifier;
import dev.mailsec.authentication.InboundAuthentication;
import dev.mailsec.authentication.InboundParameters;
import dev.mailsec.authentication.Verdicts;
import dev.mailsec.bench.dkim.BenchCorpus;
import dev.mailsec.dkim.DkimPolicy;
import dev.mailsec.dkim.DkimVerification;
import dev.mailsec.dkim.DkimVerifier;
import dev.mailsec.dkim.KeyLookup;
import dev.mailsec.dkim.KeyRecordSource;
import dev.mailsec.dkim.sign.SigningKey;
import dev.mailsec.dmarc.Dmarc;
import dev.mailsec.dmarc.DmarcInputs;
import dev.mailsec.dmarc.DmarcResult;
import dev.mailsec.dmarc.DmarcSettings;
import dev.mailsec.dmarc.DmarcVerdict;
import dev.mailsec.spf.SpfChecker;
import dev.mailsec.spf.SpfLimits;
import dev.mailsec.spf.SpfResult;
import dev.mailsec.spf.ZoneFileSpfDns;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * JMH, issue #17's speed target: one message with one DKIM signature (rsa-sha256, relaxed) and one
 * ARC set (rsa-sha256), DNS from memory (the cache-hit case). {@code dkim}: DKIM verify alone, the
 * reference; {@code arc}: ARC verify alone; {@code inbound}: {@link InboundAuthentication} (DKIM,
 * SPF, ARC and DMARC over one read of the message), so {@code inbound - dkim} is what SPF + DMARC +
 * ARC verify add; {@code spfDmarc}: the SPF check and DMARC evaluation alone, what SPF + DMARC add.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class InboundAuthenticationBench {

    @Param({"2", "50"})
    public int kb;

    private byte[] message;
    private DkimVerifier dkim;
    private ArcVerifier arc;
    private InboundAuthentication inbound;
    private InboundAuthentication.Envelope envelope;
    private SpfChecker spf;
    private Dmarc dmarc;
    private InetAddress clientIp;

    @Setup
    public void setUp() throws Exception {
        byte[] signed = BenchCorpus.signed(kb, "rsa-sha256");
        ArcSealer.Session s = new ArcSealer(Clock.systemUTC()).start();
        s.write(signed, 0, signed.length);
        ArcSealer.Seal seal =
                s.seal(
                        SigningKey.of(
                                BenchCorpus.DOMAIN, "rsa", BenchCorpus.rsaKeyPair().getPrivate()),
                        "mx." + BenchCorpus.DOMAIN,
                        "mx." + BenchCorpus.DOMAIN + "; dkim=pass header.d=" + BenchCorpus.DOMAIN,
                        ArcResult.NONE);
        message =
                (String.join("", seal.fields()) + new String(signed, StandardCharsets.ISO_8859_1))
                        .getBytes(StandardCharsets.ISO_8859_1);
        Map<String, String> records = new HashMap<>(BenchCorpus.records());
        records.put(
                "_dmarc." + BenchCorpus.DOMAIN, "v=DMARC1; p=reject; rua=mailto:d@mailsec.test");
        KeyRecordSource txt =
                name ->
                        records.containsKey(name)
                                ? KeyLookup.found(List.of(records.get(name)))
                                : KeyLookup.notFound("NXDOMAIN");
        dkim = new DkimVerifier(txt, DkimPolicy.defaults());
        arc = new ArcVerifier(txt, DkimPolicy.defaults());
        ZoneFileSpfDns spfDns =
                ZoneFileSpfDns.parse(
                        BenchCorpus.DOMAIN + ". 300 IN TXT \"v=spf1 ip4:192.0.2.0/24 -all\"\n",
                        "bench.zone");
        DmarcSettings settings =
                DmarcSettings.builder().trustedArcSealer(BenchCorpus.DOMAIN).build();
        inbound = InboundParameters.of(txt, spfDns, settings, "mx.bench");
        spf = new SpfChecker(spfDns, SpfLimits.defaults().withReceiver("mx.bench"));
        dmarc = new Dmarc(txt, settings);
        clientIp = InetAddress.getByName("192.0.2.7");
        envelope =
                new InboundAuthentication.Envelope(
                        clientIp, "mx.mailsec.test", "bounce@" + BenchCorpus.DOMAIN, "m");
        Verdicts v = inbound.evaluate(message, envelope);
        if (v.arc().result() != ArcResult.PASS
                || v.dmarc().result() != DmarcResult.PASS
                || v.spf().map(SpfResult::code).orElse(null) != SpfResult.Code.PASS
                || !v.dkim().results().get(0).result().keyword().equals("pass")) {
            throw new IllegalStateException("corpus does not verify: " + v);
        }
        if (spfDmarc().result() != DmarcResult.PASS) {
            throw new IllegalStateException("SPF + DMARC alone do not pass: " + spfDmarc());
        }
    }

    @Benchmark
    public DkimVerification dkim() {
        return dkim.verify(message);
    }

    @Benchmark
    public ArcVerification arc() {
        return arc.verify(message);
    }

    /**
     * What SPF and DMARC add: the SPF check and the DMARC evaluation {@code inbound} makes, fed the
     * DKIM and ARC verdicts it would hand them (pass, the corpus's).
     */
    @Benchmark
    public DmarcVerdict spfDmarc() {
        SpfResult s =
                spf.checkMailFrom(clientIp, "bounce@" + BenchCorpus.DOMAIN, "mx.mailsec.test");
        return dmarc.evaluate(
                DmarcInputs.builder()
                        .sampleKey("m")
                        .sourceIp("192.0.2.7")
                        .from(" Alice <alice@" + BenchCorpus.DOMAIN + ">")
                        .dkim("pass", BenchCorpus.DOMAIN)
                        .spf(s.code().keyword(), s.domain(), s.scope().keyword())
                        .arc("pass")
                        .arcSet(1, BenchCorpus.DOMAIN, "dkim=pass header.d=" + BenchCorpus.DOMAIN)
                        .build());
    }

    @Benchmark
    public Verdicts inbound() {
        return inbound.evaluate(message, envelope);
    }
}

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
import dev.mailsec.dmarc.DmarcResult;
import dev.mailsec.dmarc.DmarcSettings;
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
 * ARC verify add.
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
        inbound =
                InboundParameters.of(
                        txt,
                        ZoneFileSpfDns.parse(
                                BenchCorpus.DOMAIN
                                        + ". 300 IN TXT \"v=spf1 ip4:192.0.2.0/24 -all\"\n",
                                "bench.zone"),
                        DmarcSettings.builder().trustedArcSealer(BenchCorpus.DOMAIN).build(),
                        "mx.bench");
        envelope =
                new InboundAuthentication.Envelope(
                        InetAddress.getByName("192.0.2.7"),
                        "mx.mailsec.test",
                        "bounce@" + BenchCorpus.DOMAIN,
                        "m");
        Verdicts v = inbound.evaluate(message, envelope);
        if (v.arc().result() != ArcResult.PASS
                || v.dmarc().result() != DmarcResult.PASS
                || v.spf().map(SpfResult::code).orElse(null) != SpfResult.Code.PASS
                || !v.dkim().results().get(0).result().keyword().equals("pass")) {
            throw new IllegalStateException("corpus does not verify: " + v);
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

    @Benchmark
    public Verdicts inbound() {
        return inbound.evaluate(message, envelope);
    }
}

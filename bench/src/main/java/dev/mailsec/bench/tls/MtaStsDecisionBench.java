package dev.mailsec.bench.tls;

import dev.mailsec.tls.connector.mtasts.MtaStsCache;
import dev.mailsec.tls.connector.mtasts.MtaStsPolicy;
import dev.mailsec.tls.connector.mtasts.MtaStsResolver;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.xbill.DNS.Cache;
import org.xbill.DNS.Credibility;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Lookup;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * JMH: what the MTA-STS decision adds per outbound message once the domain's policy is cached (the
 * steady state: a policy is fetched once per TXT {@code id} and kept for {@code max_age}). Per
 * message James makes it twice: {@code RouteByMtaSts} (enforce or fallback route) and the enforcing
 * delivery's MX view ({@code MtaStsDns}: resolve, then match each MX host against the {@code mx}
 * patterns). The {@code _mta-sts} TXT record is answered from dnsjava 3.5.2's cache (James's DNS
 * service is dnsjava with a cache), as it is for every message within the record's TTL. {@code
 * mxMatchOnly} is the pattern matching alone.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class MtaStsDecisionBench {

    private static final List<String> MX = List.of("mx1.example.com.", "mx2.example.com.");

    private MtaStsResolver resolver;
    private MtaStsPolicy policy;

    @Setup
    public void setUp() throws Exception {
        Cache cache = new Cache(DClass.IN);
        Name name = Name.fromString("_mta-sts.example.com.");
        cache.addRecord(
                new TXTRecord(name, DClass.IN, 86400, "v=STSv1; id=20261123T000000;"),
                Credibility.NONAUTH_ANSWER);
        SimpleResolver unused = new SimpleResolver("127.0.0.1");
        MtaStsResolver.TxtLookup txt =
                host -> {
                    Lookup lookup = new Lookup(Name.fromString(host + "."), Type.TXT);
                    lookup.setCache(cache);
                    lookup.setResolver(unused);
                    Record[] records = lookup.run();
                    if (lookup.getResult() != Lookup.SUCCESSFUL) {
                        throw new IOException("not cached: " + lookup.getErrorString());
                    }
                    List<String> texts = new ArrayList<>();
                    for (Record record : records) {
                        texts.add(String.join("", ((TXTRecord) record).getStrings()));
                    }
                    return texts;
                };
        MtaStsPolicy served =
                MtaStsPolicy.parse(
                        "version: STSv1\nmode: enforce\nmx: mx1.example.com\nmx: *.example.net\n"
                                + "max_age: 604800\n");
        resolver = new MtaStsResolver(txt, domain -> served, Clock.systemUTC(), new MtaStsCache());
        if (!"fetched".equals(resolver.resolve("example.com").source())
                || !"cached".equals(resolver.resolve("example.com").source())) {
            throw new IllegalStateException("the policy is not cached");
        }
        policy = served;
    }

    @Benchmark
    public int decisionPerMessage() {
        int allowed = 0;
        // RouteByMtaSts
        boolean enforce =
                resolver.resolve("example.com")
                        .policy()
                        .map(p -> p.mode() == MtaStsPolicy.Mode.ENFORCE)
                        .orElse(false);
        // MtaStsDns.findMXRecords in the enforcing delivery
        MtaStsPolicy current = resolver.resolve("example.com").policy().orElseThrow();
        for (String mx : MX) {
            if (current.allowsMx(mx.substring(0, mx.length() - 1))) {
                allowed++;
            }
        }
        return enforce ? allowed : -1;
    }

    @Benchmark
    public int mxMatchOnly() {
        int allowed = 0;
        for (String mx : MX) {
            if (policy.allowsMx(mx.substring(0, mx.length() - 1))) {
                allowed++;
            }
        }
        return allowed;
    }
}

package dev.mailsec.bench.spf;

import dev.mailsec.spf.SpfChecker;
import dev.mailsec.spf.SpfLimits;
import dev.mailsec.spf.SpfResult;
import dev.mailsec.spf.ZoneFileSpfDns;
import java.net.InetAddress;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * JMH: one SPF check with every answer in memory (the DNS cache hit case), on a record shaped like
 * a large provider's: ip4 ranges, two includes, mx and a, the client matching in the second include
 * (7 DNS answers, 4 lookup-counting terms).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SpfCheckBench {

    private static final String ZONE =
            "$ORIGIN example.test.\n"
                    + "@ TXT \"v=spf1 ip4:198.51.100.0/24 include:_spf1.example.test"
                    + " include:_spf2.example.test mx a -all\"\n"
                    + "_spf1 TXT \"v=spf1 ip4:203.0.113.0/26 ip6:2001:db8::/32 ~all\"\n"
                    + "_spf2 TXT \"v=spf1 ip4:192.0.2.0/24 ip4:192.0.3.0/24 -all\"\n"
                    + "@ MX 10 mx1.example.test.\n"
                    + "mx1 A 203.0.113.200\n"
                    + "@ A 203.0.113.201\n";

    private SpfChecker checker;
    private InetAddress client;

    @Setup
    public void setUp() throws Exception {
        checker = new SpfChecker(ZoneFileSpfDns.parse(ZONE, "bench"), SpfLimits.defaults());
        client = InetAddress.getByName("192.0.2.77");
        if (check().code() != SpfResult.Code.PASS) {
            throw new IllegalStateException("bench record does not pass");
        }
    }

    @Benchmark
    public SpfResult check() {
        return checker.checkMailFrom(client, "alice@example.test", "mx.sender.test");
    }
}

package dev.mailsec.bench.dkm;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A group-keyset rollover over 10,000 secrets: a new keyset version, then every data key unwrapped
 * and re-wrapped under it and written back (target: under 2 s on either backend). Secret values are
 * not touched. Each invocation is a full rollover of the same group.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class DkmRewrapBench {
    @Param({"file", "postgresql"})
    public String backend;

    @Param({"10000"})
    public int secrets;

    private DkmFixture fixture;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        fixture = new DkmFixture(backend, secrets);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        fixture.close();
    }

    @Benchmark
    public int rewrapGroupKeyset() throws Exception {
        int n = fixture.admin.rotateGroupKeyset("mail");
        if (n != secrets) {
            throw new IllegalStateException("re-wrapped " + n + " data keys, expected " + secrets);
        }
        return n;
    }
}

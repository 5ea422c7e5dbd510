package dev.mailsec.bench.dkm;

import dev.mailsec.dkm.Dkm;
import dev.mailsec.dkm.DkmConfig;
import dev.mailsec.dkm.SecretHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
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
 * Secret fetch as a mailet does it. {@code cached}: {@link Dkm#secret} served from memory (targets:
 * under 2 us). {@code uncached}: {@code KeyManager.get} reads the record from the store, unwraps
 * the data key and decrypts the value, and appends an audit record (targets: under 100 us on files,
 * under 2 ms on PostgreSQL). The store holds 1,000 secrets; the member's group keyset is already
 * unsealed (it is cached per node like the values).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class DkmFetchBench {
    @Param({"file", "postgresql"})
    public String backend;

    private DkmFixture fixture;
    private Dkm dkm;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        fixture = new DkmFixture(backend, 1000);
        Path props = fixture.dir.resolve("dkm.properties");
        Files.write(
                props,
                (fixture.storeProperties()
                                + "identity="
                                + fixture.dir.resolve("james.cred")
                                + "\ncacheTtl=PT1H\n")
                        .getBytes(StandardCharsets.UTF_8));
        dkm = Dkm.open(DkmConfig.load(props), Clock.systemUTC());
        for (int i = 0; i < 16; i++) {
            dkm.secret(DkmFixture.name(i));
        }
        fixture.member.get(DkmFixture.name(0));
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        dkm.close();
        fixture.close();
    }

    @Benchmark
    public SecretHandle cached() throws Exception {
        return dkm.secret(DkmFixture.name(next++ & 15));
    }

    @Benchmark
    public SecretHandle uncached() throws Exception {
        next = (next + 1) % 1000;
        return fixture.member.get(DkmFixture.name(next));
    }
}

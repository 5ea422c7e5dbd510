package dev.mailsec.bench;

import java.security.MessageDigest;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** JMH: SHA-256 over a message with the JDK's provider, the primitive bound for DKIM and S/MIME. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class Sha256Bench {

    @Param({"2", "50", "1024"})
    public int kb;

    private byte[] message;

    @Setup
    public void setUp() {
        message = Messages.message(kb);
    }

    @Benchmark
    public byte[] sha256() throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(message);
    }
}

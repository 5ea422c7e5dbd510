package dev.mailsec.bench.smime;

import dev.mailsec.bench.Messages;
import dev.mailsec.smime.ContentEncryption;
import dev.mailsec.smime.SmimeBuffer;
import dev.mailsec.smime.SmimeResult;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * S/MIME engine throughput, RSA-2048, on the benchmark corpus (50 KB and 1 MB text messages):
 * detached SHA-256 signing, AES-256-CBC and AES-256-GCM encryption with RSA-OAEP, their decryption,
 * and verification (chain to the anchor, no revocation).
 *
 * <pre>java -jar bench/target/benchmarks.jar SmimeBench -f 1 -wi 3 -i 5</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SmimeBench {

    @Param({"50", "1024"})
    public int kb;

    private SmimeOps ops;
    private byte[] message;
    private byte[] signed;
    private byte[] cbc;
    private byte[] gcm;

    @Setup
    public void setUp() throws Exception {
        ops = new SmimeOps(new BenchPki());
        message = Messages.message(kb);
        signed = ops.sign(message).toByteArray();
        cbc = ops.encrypt(message, ContentEncryption.AES256_CBC).toByteArray();
        gcm = ops.encrypt(message, ContentEncryption.AES256_GCM).toByteArray();
    }

    @Benchmark
    public SmimeBuffer sign() throws Exception {
        return ops.sign(message);
    }

    @Benchmark
    public SmimeBuffer encryptCbc() throws Exception {
        return ops.encrypt(message, ContentEncryption.AES256_CBC);
    }

    @Benchmark
    public SmimeBuffer encryptGcm() throws Exception {
        return ops.encrypt(message, ContentEncryption.AES256_GCM);
    }

    @Benchmark
    public SmimeBuffer decryptCbc() throws Exception {
        return ops.decrypt(cbc);
    }

    @Benchmark
    public SmimeBuffer decryptGcm() throws Exception {
        return ops.decrypt(gcm);
    }

    @Benchmark
    public SmimeResult verify() throws Exception {
        return ops.verify(signed);
    }
}

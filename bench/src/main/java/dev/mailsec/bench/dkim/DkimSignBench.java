package dev.mailsec.bench.dkim;

import dev.mailsec.bench.Messages;
import dev.mailsec.dkim.DkimSigner;
import dev.mailsec.dkim.sign.SigningKey;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.util.List;
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
 * JMH: DkimSigner (one signature, relaxed/relaxed, key already parsed: SignDkim's steady state)
 * against the primitive bound measured in the same run: SHA-256 over the whole message plus one
 * signing operation with the same key.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class DkimSignBench {

    @Param({"2", "50", "1024"})
    public int kb;

    @Param({"rsa-sha256", "ed25519-sha256"})
    public String algorithm;

    private byte[] message;
    private DkimSigner signer;
    private SigningKey key;

    @Setup
    public void setUp() throws Exception {
        message = Messages.message(kb);
        KeyPairGenerator g =
                KeyPairGenerator.getInstance(algorithm.startsWith("ed25519") ? "Ed25519" : "RSA");
        if (!algorithm.startsWith("ed25519")) {
            g.initialize(2048);
        }
        KeyPair kp = g.generateKeyPair();
        key = SigningKey.of("example.com", "bench", kp.getPrivate());
        signer = DkimSigner.of(key);
        if (!signer.sign(message).get(0).contains("a=" + algorithm)) {
            throw new IllegalStateException("signer does not sign " + algorithm);
        }
    }

    @Benchmark
    public List<String> sign() {
        return signer.sign(message);
    }

    /**
     * The floor: SHA-256 over the message plus one signing operation (no parsing, no
     * canonicalisation).
     */
    @Benchmark
    public byte[] bound() throws Exception {
        byte[] hash = MessageDigest.getInstance("SHA-256").digest(message);
        return key.sign(hash);
    }
}

package dev.mailsec.bench.dkim;

import dev.mailsec.bench.Messages;
import dev.mailsec.dkim.DkimPolicy;
import dev.mailsec.dkim.DkimResult;
import dev.mailsec.dkim.DkimVerification;
import dev.mailsec.dkim.DkimVerifier;
import dev.mailsec.shaded.bc.crypto.params.Ed25519PublicKeyParameters;
import dev.mailsec.shaded.bc.crypto.signers.Ed25519Signer;
import java.security.MessageDigest;
import java.security.Signature;
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
 * JMH: our DKIM verify (one signature, relaxed/relaxed, key from an in-memory source: the DNS cache
 * hit case) against the primitive bound measured in the same run: one signature check plus SHA-256
 * over the whole message.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class DkimVerifyBench {

    @Param({"2", "50", "1024"})
    public int kb;

    @Param({"rsa-sha256", "ed25519-sha256"})
    public String algorithm;

    private byte[] message;
    private byte[] plain;
    private DkimVerifier verifier;
    private byte[] boundSignature;
    private byte[] boundData;
    private Ed25519PublicKeyParameters edPublic;

    @Setup
    public void setUp() throws Exception {
        message = BenchCorpus.signed(kb, algorithm);
        plain = Messages.message(kb);
        verifier = new DkimVerifier(BenchCorpus.keys(), DkimPolicy.defaults());
        DkimVerification v = verifier.verify(message);
        if (v.results().get(0).result() != DkimResult.PASS) {
            throw new IllegalStateException("corpus does not verify: " + v);
        }
        edPublic = BenchCorpus.ed25519Key().generatePublicKey();
        boundData = MessageDigest.getInstance("SHA-256").digest(plain);
        if (algorithm.startsWith("ed25519")) {
            Ed25519Signer s = new Ed25519Signer();
            s.init(true, BenchCorpus.ed25519Key());
            s.update(boundData, 0, boundData.length);
            boundSignature = s.generateSignature();
        } else {
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initSign(BenchCorpus.rsaKeyPair().getPrivate());
            s.update(boundData);
            boundSignature = s.sign();
        }
    }

    @Benchmark
    public DkimVerification verify() {
        return verifier.verify(message);
    }

    /**
     * The floor: SHA-256 over the message plus one signature verification (no parsing, no
     * canonicalisation).
     */
    @Benchmark
    public boolean bound() throws Exception {
        byte[] hash = MessageDigest.getInstance("SHA-256").digest(plain);
        if (algorithm.startsWith("ed25519")) {
            Ed25519Signer s = new Ed25519Signer();
            s.init(false, edPublic);
            s.update(hash, 0, hash.length);
            return s.verifySignature(boundSignature);
        }
        Signature s = Signature.getInstance("SHA256withRSA");
        s.initVerify(BenchCorpus.rsaKeyPair().getPublic());
        s.update(hash);
        return s.verify(boundSignature);
    }
}

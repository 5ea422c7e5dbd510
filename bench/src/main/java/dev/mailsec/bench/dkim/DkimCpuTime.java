package dev.mailsec.bench.dkim;

import dev.mailsec.bench.Messages;
import dev.mailsec.dkim.DkimPolicy;
import dev.mailsec.dkim.DkimResult;
import dev.mailsec.dkim.DkimVerifier;
import dev.mailsec.shaded.bc.crypto.params.Ed25519PublicKeyParameters;
import dev.mailsec.shaded.bc.crypto.signers.Ed25519Signer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.security.MessageDigest;
import java.security.Signature;
import java.util.Locale;

/**
 * Our DKIM verify against the primitive bound (one signature check plus SHA-256 over the message),
 * as operations per CPU-second of the measuring thread. On a shared, loaded machine wall-clock
 * figures (JMH) swing by 3x between runs; thread CPU time does not, so this is the figure to
 * compare.
 *
 * <p>James's own verifier (jDKIM 0.3, a new {@code DKIMVerifier} per message) runs on the same
 * files in the same run; with {@code peers} the OpenDKIM and dkimpy comparison of {@link DkimPeers}
 * follows the table.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.mailsec.bench.dkim.DkimCpuTime [seconds per case] [peers]
 * </pre>
 */
public final class DkimCpuTime {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private interface Op {
        void run() throws Exception;
    }

    private DkimCpuTime() {}

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
        boolean peers = args.length > 1 && args[1].equals("peers");
        DkimVerifier verifier = new DkimVerifier(BenchCorpus.keys(), DkimPolicy.defaults());
        System.out.println(
                "| case | mailsec verify / CPU-s | bound / CPU-s | verify / bound | jDKIM 0.3 / CPU-s | mailsec / jDKIM |");
        System.out.println("|---|---|---|---|---|---|");
        for (String alg : new String[] {"rsa-sha256", "ed25519-sha256"}) {
            for (int kb : new int[] {2, 50, 1024}) {
                byte[] signed = BenchCorpus.signed(kb, alg);
                byte[] plain = Messages.message(kb);
                if (verifier.verify(signed).results().get(0).result() != DkimResult.PASS) {
                    throw new IllegalStateException("corpus does not verify");
                }
                boolean rsa = alg.startsWith("rsa");
                if (rsa) {
                    JdkimVerify.requirePass(signed); // a wrong setup must not time a fast failure
                }
                Op bound = bound(alg, plain);
                double ours = rate(() -> verifier.verify(signed), seconds);
                double floor = rate(bound, seconds);
                String james = "- (no ed25519)";
                String ratio = "-";
                if (rsa) {
                    double j = rate(() -> JdkimVerify.requirePass(signed), seconds);
                    james = String.format(Locale.ROOT, "%.0f", j);
                    ratio = String.format(Locale.ROOT, "%.1fx", ours / j);
                }
                System.out.printf(
                        Locale.ROOT,
                        "| %s %s | %.0f | %.0f | %.2f | %s | %s |%n",
                        alg,
                        Messages.label(kb),
                        ours,
                        floor,
                        ours / floor,
                        james,
                        ratio);
            }
        }
        if (peers) {
            DkimPeers.main(new String[0]);
        }
    }

    private static Op bound(String alg, byte[] plain) throws Exception {
        byte[] hash = MessageDigest.getInstance("SHA-256").digest(plain);
        if (alg.startsWith("ed25519")) {
            Ed25519Signer s = new Ed25519Signer();
            s.init(true, BenchCorpus.ed25519Key());
            s.update(hash, 0, hash.length);
            byte[] sig = s.generateSignature();
            Ed25519PublicKeyParameters pub = BenchCorpus.ed25519Key().generatePublicKey();
            return () -> {
                byte[] h = MessageDigest.getInstance("SHA-256").digest(plain);
                Ed25519Signer v = new Ed25519Signer();
                v.init(false, pub);
                v.update(h, 0, h.length);
                if (!v.verifySignature(sig)) {
                    throw new IllegalStateException();
                }
            };
        }
        Signature s = Signature.getInstance("SHA256withRSA");
        s.initSign(BenchCorpus.rsaKeyPair().getPrivate());
        s.update(hash);
        byte[] sig = s.sign();
        return () -> {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(plain);
            Signature v = Signature.getInstance("SHA256withRSA");
            v.initVerify(BenchCorpus.rsaKeyPair().getPublic());
            v.update(h);
            if (!v.verify(sig)) {
                throw new IllegalStateException();
            }
        };
    }

    private static double rate(Op op, double seconds) throws Exception {
        long warm = System.nanoTime() + 1_000_000_000L;
        while (System.nanoTime() < warm) {
            op.run();
        }
        long cpu0 = THREADS.getCurrentThreadCpuTime();
        long wall0 = System.nanoTime();
        long n = 0;
        while (System.nanoTime() - wall0 < seconds * 1e9) {
            op.run();
            n++;
        }
        return n / ((THREADS.getCurrentThreadCpuTime() - cpu0) / 1e9);
    }
}

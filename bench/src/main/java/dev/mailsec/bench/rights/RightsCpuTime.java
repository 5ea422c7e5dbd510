package dev.mailsec.bench.rights;

import dev.mailsec.bench.Messages;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Locale;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * CPU time per operation of {@link RightsBench}'s protect and open (memory store), next to the bare
 * AES-256-GCM encryption of the same message: thread CPU time is what the operation costs, whatever
 * else loads the machine (wall-clock JMH figures on a shared 2-core VM swing by 3x). Prints median
 * and best of {@code batches} batches.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.mailsec.bench.rights.RightsCpuTime [batches] [opsPerBatch]
 * </pre>
 */
public final class RightsCpuTime {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private RightsCpuTime() {}

    interface Op {
        void run() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        int batches = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        int ops = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        System.out.println(
                "| size | protect ms CPU (median / best) | open ms CPU (median / best) | AES-256-GCM alone ms CPU (median) |");
        System.out.println("|---|---|---|---|");
        for (int kb : new int[] {50, 1024}) {
            RightsBench b = new RightsBench();
            b.kb = kb;
            b.store = "memory";
            b.setUp();
            try {
                byte[] raw = Messages.message(kb);
                SecretKey k = KeyGenerator.getInstance("AES").generateKey();
                SecureRandom rnd = new SecureRandom();
                Op gcm =
                        () -> {
                            byte[] iv = new byte[12];
                            rnd.nextBytes(iv);
                            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
                            c.init(Cipher.ENCRYPT_MODE, k, new GCMParameterSpec(128, iv));
                            c.doFinal(raw);
                        };
                double[] p =
                        measure(
                                () -> {
                                    b.protect_message();
                                },
                                batches,
                                ops,
                                b);
                double[] o = measure(b::open_message, batches, ops, b);
                double[] g = measure(gcm, batches, ops, null);
                System.out.printf(
                        Locale.ROOT,
                        "| %s | %.2f / %.2f | %.2f / %.2f | %.2f |%n",
                        Messages.label(kb),
                        p[0],
                        p[1],
                        o[0],
                        o[1],
                        g[0]);
            } finally {
                b.tearDown();
            }
        }
    }

    private static double[] measure(Op op, int batches, int ops, RightsBench b) throws Exception {
        for (int i = 0; i < ops * 3; i++) {
            op.run();
        }
        double[] perOp = new double[batches];
        for (int i = 0; i < batches; i++) {
            long cpu0 = THREADS.getCurrentThreadCpuTime();
            for (int j = 0; j < ops; j++) {
                op.run();
            }
            perOp[i] = (THREADS.getCurrentThreadCpuTime() - cpu0) / 1e6 / ops;
            if (b != null) {
                b.forgetProtected();
            }
        }
        Arrays.sort(perOp);
        return new double[] {perOp[batches / 2], perOp[0]};
    }
}

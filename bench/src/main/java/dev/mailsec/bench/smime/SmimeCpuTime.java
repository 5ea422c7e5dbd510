package dev.mailsec.bench.smime;

import dev.mailsec.bench.Messages;
import dev.mailsec.smime.ContentEncryption;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The engine against {@code openssl cms} on the same messages and keys, counted in CPU time, for a
 * shared machine where wall time says more about the neighbours than about the code: ours is the
 * CPU time of the benchmark thread, openssl's is the user+system time of its processes (bash's
 * {@code times} over a batch), minus the same for {@code openssl version} (process start). Ours and
 * openssl alternate in rounds. Same operations as {@code PeerDriver smime}: RSA-2048, detached
 * SHA-256 signing, AES-256-CBC / AES-256-GCM with RSA-OAEP, verification against the CA.
 *
 * <pre>java -cp bench/target/benchmarks.jar dev.mailsec.bench.smime.SmimeCpuTime [rounds] [batch]
 * </pre>
 */
public final class SmimeCpuTime {

    private static final class Case {
        final String label;
        final CpuClock.Op ours;
        final String peer;

        Case(String label, CpuClock.Op ours, String peer) {
            this.label = label;
            this.ours = ours;
            this.peer = peer;
        }
    }

    private static final Pattern TIMES =
            Pattern.compile("(\\d+)m([\\d.]+)s\\s+(\\d+)m([\\d.]+)s\\s*$");

    private SmimeCpuTime() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        Path dir = Files.createTempDirectory("mailsec-smime-cpu");
        BenchPki pki = new BenchPki();
        pki.writePem(dir);
        SmimeOps ops = new SmimeOps(pki);
        String ca = dir.resolve("ca.pem").toString();
        String alice =
                "-signer " + dir.resolve("alice.crt") + " -inkey " + dir.resolve("alice.key");
        String bobCrt = dir.resolve("bob.crt").toString();
        String bobKey = dir.resolve("bob.key").toString();
        List<Case> cases = new ArrayList<>();
        for (int kb : new int[] {50, 1024}) {
            String size = Messages.label(kb);
            Path plain = Messages.write(dir, kb);
            byte[] message = Files.readAllBytes(plain);
            byte[] signed = ops.sign(message).toByteArray();
            byte[] cbc = ops.encrypt(message, ContentEncryption.AES256_CBC).toByteArray();
            byte[] gcm = ops.encrypt(message, ContentEncryption.AES256_GCM).toByteArray();
            Path signedFile = Files.write(dir.resolve("signed-" + kb + ".eml"), signed);
            Path cbcFile = Files.write(dir.resolve("cbc-" + kb + ".eml"), cbc);
            Path gcmFile = Files.write(dir.resolve("gcm-" + kb + ".eml"), gcm);
            cases.add(
                    new Case(
                            "sign " + size,
                            () -> ops.sign(message),
                            "openssl cms -sign -md sha256 -in "
                                    + plain
                                    + " "
                                    + alice
                                    + " -out /dev/null"));
            cases.add(
                    new Case(
                            "encrypt aes-256-cbc " + size,
                            () -> ops.encrypt(message, ContentEncryption.AES256_CBC),
                            "openssl cms -encrypt -aes-256-cbc -in "
                                    + plain
                                    + " -out /dev/null -recip "
                                    + bobCrt
                                    + " -keyopt rsa_padding_mode:oaep"));
            cases.add(
                    new Case(
                            "encrypt aes-256-gcm " + size,
                            () -> ops.encrypt(message, ContentEncryption.AES256_GCM),
                            "openssl cms -encrypt -aes-256-gcm -in "
                                    + plain
                                    + " -out /dev/null -recip "
                                    + bobCrt
                                    + " -keyopt rsa_padding_mode:oaep"));
            cases.add(
                    new Case(
                            "decrypt aes-256-cbc " + size,
                            () -> ops.decrypt(cbc),
                            "openssl cms -decrypt -in "
                                    + cbcFile
                                    + " -recip "
                                    + bobCrt
                                    + " -inkey "
                                    + bobKey
                                    + " -out /dev/null"));
            cases.add(
                    new Case(
                            "decrypt aes-256-gcm " + size,
                            () -> ops.decrypt(gcm),
                            "openssl cms -decrypt -in "
                                    + gcmFile
                                    + " -recip "
                                    + bobCrt
                                    + " -inkey "
                                    + bobKey
                                    + " -out /dev/null"));
            cases.add(
                    new Case(
                            "verify " + size,
                            () -> ops.verify(signed),
                            "openssl cms -verify -in "
                                    + signedFile
                                    + " -CAfile "
                                    + ca
                                    + " -purpose any -out /dev/null"));
        }
        System.out.printf(
                Locale.ROOT,
                "%n## S/MIME: mailsec vs openssl cms in CPU time (%d rounds, openssl batches of %d)%n",
                rounds,
                batch);
        System.out.println(
                "| case | mailsec msgs/CPU-s | openssl msgs/CPU-s (gross) | openssl msgs/CPU-s (net of start) | mailsec / openssl net |");
        System.out.println("|---|---|---|---|---|");
        for (Case c : cases) {
            CpuClock.warm(c.ours, 2);
            long[] oursTotal = new long[2];
            double peerCpu = 0;
            double baseCpu = 0;
            for (int r = 0; r < rounds; r++) {
                CpuClock.measure(c.ours, 1.5, oursTotal);
                peerCpu += childCpuSeconds(c.peer, batch);
                baseCpu += childCpuSeconds("openssl version", batch);
            }
            double ours = oursTotal[0] / (oursTotal[1] / 1e9);
            double grossPerOp = peerCpu / (rounds * (double) batch);
            double netPerOp = (peerCpu - baseCpu) / (rounds * (double) batch);
            System.out.printf(
                    Locale.ROOT,
                    "| %s | %.0f | %.0f | %s | %s |%n",
                    c.label,
                    ours,
                    1 / grossPerOp,
                    netPerOp > grossPerOp * 0.05
                            ? String.format(Locale.ROOT, "%.0f", 1 / netPerOp)
                            : "below start noise",
                    netPerOp > grossPerOp * 0.05
                            ? String.format(Locale.ROOT, "%.2fx", ours * netPerOp)
                            : "-");
        }
    }

    /** User+system seconds of {@code batch} runs of the command, from bash's {@code times}. */
    private static double childCpuSeconds(String command, int batch)
            throws IOException, InterruptedException {
        String script =
                "for i in $(seq "
                        + batch
                        + "); do "
                        + command
                        + " >/dev/null 2>&1 || exit 3; done; times";
        Process p = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        if (p.waitFor() != 0) {
            throw new IOException("peer command failed: " + command + "\n" + out);
        }
        String[] lines = out.trim().split("\n");
        Matcher m = TIMES.matcher(lines[lines.length - 1].trim());
        if (!m.find()) {
            throw new IOException("cannot read bash times output: " + out);
        }
        return Integer.parseInt(m.group(1)) * 60
                + Double.parseDouble(m.group(2))
                + Integer.parseInt(m.group(3)) * 60
                + Double.parseDouble(m.group(4));
    }
}

package dev.mailsec.bench;

import dev.mailsec.bench.smime.SmimeComparison;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs our code and a peer's command on the same inputs in one run and prints the ratio.
 *
 * <p>A {@link Comparison} names cases; each case has an input file, our operation on its bytes, and
 * the peer's command line: {@code {}} stands for the input path, or {@code {files}} for the input
 * path repeated {@code peer.batch} times, for tools that take many files in one process. Our side
 * runs in this JVM after a warm-up, single-threaded, for a fixed time. The peer's process start is
 * measured separately with {@link Comparison#peerBaseline()} (the same tool doing no work) and
 * subtracted, giving the peer's net throughput, which is the fair number to beat; batching keeps
 * that subtraction above the noise of process start.
 *
 * <pre>java -cp bench/target/benchmarks.jar dev.mailsec.bench.PeerDriver [comparison ...]</pre>
 */
public final class PeerDriver {

    /** One operation of ours on the input bytes. */
    public interface Operation {
        void run(byte[] input) throws Exception;
    }

    /** One input, our operation on it, the peer's command on it. */
    public static final class Case {
        final String label;
        final Path input;
        final Operation ours;
        final List<String> peerCommand;

        public Case(String label, Path input, Operation ours, List<String> peerCommand) {
            this.label = label;
            this.input = input;
            this.ours = ours;
            this.peerCommand = List.copyOf(peerCommand);
        }
    }

    /** A named set of cases against one peer. */
    public interface Comparison {
        String name();

        String peerName();

        /** A command that starts the peer and does no work, to subtract process start. */
        List<String> peerBaseline();

        List<Case> cases(Path workDir) throws Exception;
    }

    private static final Map<String, Comparison> COMPARISONS = new LinkedHashMap<>();

    static {
        register(new Sha256Comparison());
        register(new SmimeComparison());
    }

    /** Comparisons of other capabilities add themselves here. */
    public static void register(Comparison c) {
        COMPARISONS.put(c.name(), c);
    }

    private final double oursSeconds;
    private final int peerRuns;
    private final int batch;

    PeerDriver(double oursSeconds, int peerRuns, int batch) {
        this.oursSeconds = oursSeconds;
        this.peerRuns = peerRuns;
        this.batch = batch;
    }

    public static void main(String[] args) throws Exception {
        List<String> names =
                args.length == 0 ? new ArrayList<>(COMPARISONS.keySet()) : List.of(args);
        PeerDriver driver =
                new PeerDriver(
                        Double.parseDouble(System.getProperty("ours.seconds", "3")),
                        Integer.getInteger("peer.runs", 15),
                        Integer.getInteger("peer.batch", 50));
        Path work = Files.createTempDirectory("mailsec-bench");
        for (String name : names) {
            Comparison c = COMPARISONS.get(name);
            if (c == null) {
                System.err.println(
                        "unknown comparison '" + name + "'; known: " + COMPARISONS.keySet());
                System.exit(2);
            }
            driver.run(c, work);
        }
    }

    void run(Comparison c, Path work) throws Exception {
        double baseline = secondsPerRun(c.peerBaseline(), null, 1);
        System.out.printf(
                Locale.ROOT,
                "%n## %s: mailsec vs %s (one core; peer process start %.2f ms subtracted)%n",
                c.name(),
                c.peerName(),
                baseline * 1000);
        System.out.println(
                "| case | mailsec ops/s | peer ops/s (gross) | peer ops/s (net) | mailsec / peer net |");
        System.out.println("|---|---|---|---|---|");
        for (Case k : c.cases(work)) {
            byte[] input = Files.readAllBytes(k.input);
            double ours = opsPerSecond(k.ours, input);
            int perProcess = k.peerCommand.contains("{files}") ? batch : 1;
            double run = secondsPerRun(k.peerCommand, k.input, perProcess);
            double gross = run / perProcess;
            double net = (run - baseline) / perProcess;
            if (net <= gross * 0.05) {
                System.out.printf(
                        Locale.ROOT,
                        "| %s | %.0f | %.0f | below process-start noise | - |%n",
                        k.label,
                        ours,
                        1 / gross);
            } else {
                System.out.printf(
                        Locale.ROOT,
                        "| %s | %.0f | %.0f | %.0f | %.2fx |%n",
                        k.label,
                        ours,
                        1 / gross,
                        1 / net,
                        ours * net);
            }
        }
    }

    private double opsPerSecond(Operation op, byte[] input) throws Exception {
        long warmEnd = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1000);
        while (System.nanoTime() < warmEnd) {
            op.run(input);
        }
        long n = 0;
        long start = System.nanoTime();
        long end = start + (long) (oursSeconds * 1e9);
        long now;
        do {
            op.run(input);
            n++;
            now = System.nanoTime();
        } while (now < end);
        return n / ((now - start) / 1e9);
    }

    /** Median wall time of one peer process on the input (null: the baseline command as is). */
    private double secondsPerRun(List<String> command, Path input, int copies)
            throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>();
        for (String a : command) {
            if (input != null && a.equals("{files}")) {
                for (int i = 0; i < copies; i++) {
                    argv.add(input.toString());
                }
            } else {
                argv.add(input == null ? a : a.replace("{}", input.toString()));
            }
        }
        double[] times = new double[peerRuns];
        for (int i = 0; i < peerRuns; i++) {
            long t0 = System.nanoTime();
            Process p =
                    new ProcessBuilder(argv)
                            .redirectErrorStream(true)
                            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                            .start();
            int code = p.waitFor();
            times[i] = (System.nanoTime() - t0) / 1e9;
            if (code != 0) {
                throw new IOException(
                        "peer command failed (exit " + code + "): " + String.join(" ", argv));
            }
        }
        Arrays.sort(times);
        return times[times.length / 2];
    }
}

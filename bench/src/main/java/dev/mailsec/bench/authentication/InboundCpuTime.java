package dev.mailsec.bench.authentication;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@link InboundAuthenticationBench}'s four operations timed in CPU time of this thread and
 * interleaved (short slices of each in turn, many rounds), so that a shared machine's changing load
 * falls on all four alike and their ratios hold even where JMH's wall-clock errors do not.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.mailsec.bench.authentication.InboundCpuTime [rounds]
 * </pre>
 */
public final class InboundCpuTime {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final long SLICE_NANOS = 100_000_000L;

    private InboundCpuTime() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        System.out.println("load average before: " + loadAverage());
        for (int kb : new int[] {2, 50}) {
            InboundAuthenticationBench b = new InboundAuthenticationBench();
            b.kb = kb;
            b.setUp();
            Map<String, Supplier<?>> ops = new LinkedHashMap<>();
            ops.put("dkim", b::dkim);
            ops.put("arc", b::arc);
            ops.put("spfDmarc", b::spfDmarc);
            ops.put("inbound", b::inbound);
            Map<String, long[]> totals = new LinkedHashMap<>();
            for (String name : ops.keySet()) {
                totals.put(name, new long[2]);
            }
            for (int r = -rounds / 4; r < rounds; r++) { // the first quarter warms up
                for (Map.Entry<String, Supplier<?>> e : ops.entrySet()) {
                    long[] t = slice(e.getValue());
                    if (r >= 0) {
                        totals.get(e.getKey())[0] += t[0];
                        totals.get(e.getKey())[1] += t[1];
                    }
                }
            }
            double dkim = micros(totals.get("dkim"));
            System.out.printf("%d KB, CPU µs per message (ratio to dkim):%n", kb);
            for (Map.Entry<String, long[]> e : totals.entrySet()) {
                double us = micros(e.getValue());
                System.out.printf(
                        "  %-9s %9.1f  (%.2f, %d ops)%n",
                        e.getKey(), us, us / dkim, e.getValue()[0]);
            }
            double added = micros(totals.get("inbound")) - dkim;
            System.out.printf(
                    "  inbound - dkim = %.1f µs = %.0f%% of dkim; spfDmarc = %.0f%% of dkim%n",
                    added, 100 * added / dkim, 100 * micros(totals.get("spfDmarc")) / dkim);
        }
        System.out.println("load average after: " + loadAverage());
    }

    /** {ops, CPU nanoseconds} of one slice. */
    private static long[] slice(Supplier<?> op) {
        long start = THREADS.getCurrentThreadCpuTime();
        long now;
        long n = 0;
        do {
            op.get();
            n++;
            now = THREADS.getCurrentThreadCpuTime();
        } while (now - start < SLICE_NANOS);
        return new long[] {n, now - start};
    }

    private static double micros(long[] t) {
        return t[1] / 1e3 / t[0];
    }

    private static String loadAverage() throws IOException {
        return Files.readString(Paths.get("/proc/loadavg")).trim();
    }
}
